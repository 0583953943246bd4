package io.df2redis.protocol.internal;

/**
 * Control-flow signal of the resumable decoders: the current unit is not complete in the
 * buffer yet. Thrown by the readers in {@link Bytes}; the decoder rewinds to the start of the
 * unit and waits for more bytes. A single shared instance without stack trace: throwing it
 * costs no allocation.
 */
public final class NeedMoreInput extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The only instance. */
    public static final NeedMoreInput INSTANCE = new NeedMoreInput();

    private NeedMoreInput() {
        super("need more input", null, false, false);
    }
}
