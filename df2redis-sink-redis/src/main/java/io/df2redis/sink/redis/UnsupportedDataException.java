package io.df2redis.sink.redis;

/** Data Redis cannot hold met {@link UnsupportedDataPolicy#FAIL}. Not retryable: the same data comes again. */
public class UnsupportedDataException extends RedisSinkException {
    private static final long serialVersionUID = 1L;
    private final transient UnsupportedData data;

    /** @param data what Redis cannot hold */
    public UnsupportedDataException(UnsupportedData data) {
        super(null, "cannot write to Redis: " + data, null);
        this.data = data;
    }

    /**
     * What Redis cannot hold.
     *
     * @return the key or command and the reason
     */
    public UnsupportedData data() {
        return data;
    }

    /** Always false. */
    @Override
    public boolean isRetryable() {
        return false;
    }
}
