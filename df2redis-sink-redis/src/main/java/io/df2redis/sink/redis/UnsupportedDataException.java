package io.df2redis.sink.redis;

import io.df2redis.replica.SinkException;

/** Data Redis cannot hold met {@link UnsupportedDataPolicy#FAIL}. Not retryable: the same data comes again. */
public class UnsupportedDataException extends SinkException {
    private static final long serialVersionUID = 1L;
    private final transient UnsupportedData data;

    public UnsupportedDataException(UnsupportedData data) {
        super("cannot write to Redis: " + data);
        this.data = data;
    }

    public UnsupportedData data() {
        return data;
    }

    @Override
    public boolean isRetryable() {
        return false;
    }
}
