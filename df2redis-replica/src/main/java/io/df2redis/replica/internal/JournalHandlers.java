package io.df2redis.replica.internal;

import io.df2redis.replica.HandlerFailure;
import io.df2redis.replica.JournalDecision;
import io.df2redis.replica.JournalEvent;
import io.df2redis.replica.SinkEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Runs the host's journal handlers on one entry, in registration order, each under the
 * handler-failure policy. Stateless; called on a flow's applier thread.
 */
final class JournalHandlers {
    private static final Logger LOG = LoggerFactory.getLogger(JournalHandlers.class);

    private JournalHandlers() {
    }

    /**
     * @return false when a handler decided {@link JournalDecision#SKIP}, or failed and the policy
     *     skipped it (its decision is unknown, so neither the listener nor the sink gets the entry)
     */
    static boolean pass(HandlerGuard guard, List<HandlerRegistration> handlers, int flow, JournalEvent ev,
                        SinkEvent.Journal je, BooleanSupplier stopping) throws InterruptedException {
        long lsn = ev.fullSync() ? 0 : ev.lsn();
        for (HandlerRegistration h : handlers) {
            Boolean pass = guard.call(HandlerFailure.Kind.JOURNAL_HANDLER, "JournalCommandHandler " + h.name(), flow,
                    lsn, () -> HandlerFailure.describe(ev), je,
                    () -> !h.selector().test(ev) || decide(h, ev), null, stopping);
            if (pass == null || !pass) {
                return false;
            }
        }
        return true;
    }

    /** Runs one handler: true to pass the entry on; a null decision is the handler's error. */
    private static boolean decide(HandlerRegistration h, JournalEvent ev) {
        JournalDecision d = h.handler().handle(ev);
        if (d == null) {
            throw new NullPointerException("JournalCommandHandler " + h.name() + " returned no decision");
        }
        if (d == JournalDecision.SKIP) {
            LOG.debug("flow {}: {} skipped by {}", ev.flow(), ev.command(), h.name());
        }
        return d == JournalDecision.APPLY;
    }
}
