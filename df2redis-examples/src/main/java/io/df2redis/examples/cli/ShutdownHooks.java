package io.df2redis.examples.cli;

/** Registers and removes the JVM shutdown hook of a run, tolerating a JVM already shutting down. */
final class ShutdownHooks {
    private ShutdownHooks() {
    }

    /** Registers {@code hook}; false when the JVM is already shutting down. */
    static boolean add(Thread hook) {
        try {
            Runtime.getRuntime().addShutdownHook(hook);
            return true;
        } catch (IllegalStateException e) {
            return false; // already shutting down
        }
    }

    /** Unregisters {@code hook}, unless the JVM is shutting down (then the hook is running). */
    static void remove(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // shutting down: the hook is running and waits for this run
        }
    }
}
