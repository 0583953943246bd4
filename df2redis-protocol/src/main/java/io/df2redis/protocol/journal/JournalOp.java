package io.df2redis.protocol.journal;

/** Journal opcodes (spec §5.2, Dragonfly {@code journal/types.h}). */
public enum JournalOp {
    /** Never put on the wire by any release; accepted without body. */
    NOOP(0),
    /** Current db for the following entries; consumes no LSN. */
    SELECT(6),
    /** An expiry/eviction {@code DEL} (≤ v1.37). */
    EXPIRED(9),
    /** A write command, already rewritten to be deterministic. */
    COMMAND(10),
    /** v1.20 only: a command of a MULTI/EXEC or script. */
    MULTI_COMMAND(11),
    /** v1.20 only: end of a multi transaction on this shard (no payload). */
    EXEC(12),
    /** The master asks for an immediate ACK. */
    PING(13),
    /** Cluster slot migration only; no body. */
    FIN(14),
    /** "The last entry I sent had this LSN"; consumes no LSN. */
    LSN(15);

    private static final JournalOp[] BY_CODE = new JournalOp[16];

    static {
        for (JournalOp op : values()) {
            BY_CODE[op.code] = op;
        }
    }

    private final int code;

    JournalOp(int code) {
        this.code = code;
    }

    /**
     * The opcode byte of this op on the wire.
     *
     * @return the opcode
     */
    public int code() {
        return code;
    }

    /**
     * Whether an entry with this opcode consumes one LSN (spec §5.1).
     *
     * @return true for every op but SELECT, LSN, NOOP and FIN
     */
    public boolean consumesLsn() {
        return this != SELECT && this != LSN && this != NOOP && this != FIN;
    }

    /**
     * Whether entries with this opcode carry a command payload.
     *
     * @return true for COMMAND, EXPIRED and MULTI_COMMAND
     */
    public boolean hasCommand() {
        return this == COMMAND || this == EXPIRED || this == MULTI_COMMAND;
    }

    /**
     * The opcode for a code, or null if unknown.
     *
     * @param code the opcode read from the wire
     * @return the op, or null
     */
    public static JournalOp of(long code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[(int) code] : null;
    }
}
