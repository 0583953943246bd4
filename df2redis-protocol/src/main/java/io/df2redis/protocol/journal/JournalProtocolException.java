package io.df2redis.protocol.journal;

import io.df2redis.protocol.ProtocolException;

/** The journal bytes do not follow the journal wire format (spec §5.2). */
public class JournalProtocolException extends ProtocolException {
    private static final long serialVersionUID = 1L;

    /**
     * See {@link io.df2redis.protocol.ProtocolException#ProtocolException(String, long, String)}.
     *
     * @param message what is wrong
     * @param offset absolute offset in the flow's stream, or -1 when unknown
     * @param context what was being decoded, may be empty
     */
    public JournalProtocolException(String message, long offset, String context) {
        super(message, offset, context);
    }
}
