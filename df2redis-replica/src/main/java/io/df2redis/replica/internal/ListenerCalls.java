package io.df2redis.replica.internal;

import io.df2redis.replica.ReplicationListener;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.Set;

/**
 * Which callbacks of a {@link ReplicationListener} do something: those its class overrides. Every
 * callback has an empty default, and a flow applier calls the per-key ones (entry start, value batch,
 * entry end) a million times in a million-key full sync, each through the handler-failure policy;
 * one the listener does not override is skipped. Found once per listener by reflection; a class that
 * cannot be inspected counts as overriding everything.
 *
 * <p>Thread ownership: immutable after construction.
 */
final class ListenerCalls {
    private final Set<String> overridden;

    ListenerCalls(ReplicationListener listener) {
        this.overridden = overridden(listener);
    }

    /** Whether the listener overrides callback {@code method} (a name of {@link ReplicationListener}). */
    boolean listens(String method) {
        return overridden == null || overridden.contains(method);
    }

    /** The names of the overridden callbacks, or null for all. */
    private static Set<String> overridden(ReplicationListener listener) {
        Set<String> names = new HashSet<>();
        try {
            for (Method m : ReplicationListener.class.getMethods()) {
                if (Modifier.isStatic(m.getModifiers())) {
                    continue;
                }
                Method impl = listener.getClass().getMethod(m.getName(), m.getParameterTypes());
                if (impl.getDeclaringClass() != ReplicationListener.class) {
                    names.add(m.getName());
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
        return Set.copyOf(names);
    }
}
