package io.df2redis.protocol.rdb;

/** A Redis stream entry id {@code <ms>-<seq>}; both parts are unsigned 64-bit numbers. */
public record StreamId(long ms, long seq) implements Comparable<StreamId> {
    /** The id {@code 0-0}. */
    public static final StreamId ZERO = new StreamId(0, 0);

    @Override
    public int compareTo(StreamId o) {
        int c = Long.compareUnsigned(ms, o.ms);
        return c != 0 ? c : Long.compareUnsigned(seq, o.seq);
    }

    /** Parses {@code "<ms>-<seq>"}. */
    public static StreamId parse(String s) {
        int dash = s.indexOf('-');
        if (dash < 0) {
            return new StreamId(Long.parseUnsignedLong(s), 0);
        }
        return new StreamId(Long.parseUnsignedLong(s.substring(0, dash)), Long.parseUnsignedLong(s.substring(dash + 1)));
    }

    @Override
    public String toString() {
        return Long.toUnsignedString(ms) + "-" + Long.toUnsignedString(seq);
    }
}
