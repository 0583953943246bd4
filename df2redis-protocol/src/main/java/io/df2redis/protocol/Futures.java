package io.df2redis.protocol;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The one place a failure coming out of a future is unwrapped: {@link CompletionException} and
 * {@link ExecutionException} only say that the failure went through a future, the cause is what
 * failed. Stateless and thread-safe.
 */
public final class Futures {
    private Futures() {
    }

    /**
     * The failure behind {@code error}: its cause while it is a {@link CompletionException} or
     * {@link ExecutionException} that has one, else {@code error} itself.
     *
     * @param error a failure as a future reported it; null gives null
     * @return the first failure in the chain that is not a future's wrapper
     */
    public static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
