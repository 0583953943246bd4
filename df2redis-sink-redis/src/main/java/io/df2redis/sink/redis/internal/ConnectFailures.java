package io.df2redis.sink.redis.internal;

import io.df2redis.replica.AuthenticationException;
import io.df2redis.replica.ConnectionException;
import io.df2redis.sink.redis.TargetAuthenticationException;
import io.df2redis.sink.redis.TargetConnectionException;

/**
 * What a failure to reach or authenticate with a server becomes: the sink's own target-side types
 * ({@link #TARGET}), or the replica's side-neutral ones ({@link #NEUTRAL}, for
 * {@code ServerProbe}, which checks the Dragonfly source as well as the target). Messages name the
 * endpoint and the user, never the password. Stateless.
 */
public interface ConnectFailures {
    /** The sink's types: {@link TargetConnectionException}, {@link TargetAuthenticationException}. */
    ConnectFailures TARGET = new ConnectFailures() {
        @Override
        public RuntimeException connection(String endpoint, String message, Throwable cause) {
            return new TargetConnectionException(endpoint, message, cause);
        }

        @Override
        public RuntimeException rejected(String endpoint, String user, String serverError) {
            return new TargetAuthenticationException(endpoint, "the target Redis at " + endpoint
                    + " rejected the credentials" + (user != null ? " of user '" + user + "'" : "") + ": "
                    + serverError, null);
        }

        @Override
        public RuntimeException passwordRequired(String endpoint, String serverError) {
            return new TargetAuthenticationException(endpoint, "the target Redis at " + endpoint
                    + " requires a password (" + serverError + "): set it with RedisSinkOptions.Builder.password(…) "
                    + "or user(…, …)", null);
        }
    };

    /** The replica's side-neutral types: {@link ConnectionException}, {@link AuthenticationException}. */
    ConnectFailures NEUTRAL = new ConnectFailures() {
        @Override
        public RuntimeException connection(String endpoint, String message, Throwable cause) {
            return new ConnectionException(message, cause);
        }

        @Override
        public RuntimeException rejected(String endpoint, String user, String serverError) {
            return new AuthenticationException(endpoint + " rejected the credentials"
                    + (user != null ? " of user '" + user + "'" : "") + " (" + serverError + ")");
        }

        @Override
        public RuntimeException passwordRequired(String endpoint, String serverError) {
            return new AuthenticationException(endpoint + " requires a password (" + serverError + ")");
        }
    };

    /** The server is unreachable, the TLS handshake failed, the connection broke or timed out. */
    RuntimeException connection(String endpoint, String message, Throwable cause);

    /** The server rejected {@code AUTH}. */
    RuntimeException rejected(String endpoint, String user, String serverError);

    /** The server answered {@code NOAUTH}: it wants a password that was not given. */
    RuntimeException passwordRequired(String endpoint, String serverError);
}
