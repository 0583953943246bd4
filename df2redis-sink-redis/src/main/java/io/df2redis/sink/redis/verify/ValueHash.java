package io.df2redis.sink.redis.verify;

/**
 * The canonical digest of one value, fed element by element from either side (the snapshot
 * events of a sync, or replies read from the target), so that the same value gives the same
 * {@link #hash()} however it was delivered: strings hash their bytes as one stream; list and
 * stream entries are combined in order; set members, hash fields, sorted-set members, stream
 * groups and pending entries are combined by addition, so their order does not matter.
 */
final class ValueHash {
    private static final long ORDERED_SEED = 0x2545F4914F6CDD1DL;

    private final Hash64 string = new Hash64(1);
    private long ordered = ORDERED_SEED;
    private long unordered;
    private long count;

    /** Bytes of a string value, in order. */
    void stringBytes(byte[] b, int off, int len) {
        string.update(b, off, len);
        count += len;
    }

    void listElement(byte[] e) {
        ordered = Hash64.mix(ordered * 31 + Hash64.of(2, e));
        count++;
    }

    void setMember(byte[] m) {
        unordered += Hash64.mix(Hash64.of(3, m));
        count++;
    }

    void hashField(byte[] field, byte[] value) {
        unordered += Hash64.mix(new Hash64(4).update(field.length).update(field).update(value).finish());
        count++;
    }

    void zsetMember(byte[] member, double score) {
        double s = score == 0.0 ? 0.0 : score; // -0.0 and 0.0 are the same score
        unordered += Hash64.mix(new Hash64(5).update(Double.doubleToLongBits(s)).update(member).finish());
        count++;
    }

    /** One stream entry: id and alternating field / value bytes. */
    void streamEntry(long ms, long seq, Iterable<byte[]> fieldsAndValues) {
        Hash64 h = new Hash64(6).update(ms).update(seq);
        for (byte[] b : fieldsAndValues) {
            h.update(b.length).update(b);
        }
        ordered = Hash64.mix(ordered * 31 + h.finish());
        count++;
    }

    void streamLastId(long ms, long seq) {
        unordered += Hash64.mix(new Hash64(7).update(ms).update(seq).finish());
    }

    void streamGroup(byte[] name, long lastMs, long lastSeq) {
        unordered += Hash64.mix(new Hash64(8).update(lastMs).update(lastSeq).update(name).finish());
    }

    /** A pending entry's delivery count (the delivery time is apply time and is not part of the value). */
    void pendingCount(byte[] group, long ms, long seq, long deliveries) {
        unordered += Hash64.mix(new Hash64(9).update(ms).update(seq).update(deliveries).update(group).finish());
    }

    /** Which consumer holds a pending entry. */
    void pendingOwner(byte[] group, byte[] consumer, long ms, long seq) {
        unordered += Hash64.mix(new Hash64(10).update(ms).update(seq).update(group.length).update(group)
                .update(consumer).finish());
    }

    /** Elements (bytes for strings, entries for streams). */
    long count() {
        return count;
    }

    long hash() {
        return Hash64.mix(string.finish() ^ Hash64.mix(ordered) * 3 ^ Hash64.mix(unordered + count));
    }
}
