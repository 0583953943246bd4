package io.df2redis.replica.internal;

/**
 * Thrown inside {@link Session#run()} when the session was closed on purpose (the replicator is
 * stopping): not an error, the supervisor ends without reporting anything.
 */
public final class SessionStopped extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SessionStopped() {
        super("stopped", null, false, false);
    }
}
