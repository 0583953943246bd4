package io.df2redis.protocol.internal.rdb;

import io.df2redis.protocol.rdb.ValueBatch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Accumulates the elements of one container and cuts them into {@link ValueBatch}es bounded in
 * element count and bytes. Cut points depend only on the content, so the same value always
 * produces the same batches however its bytes arrived.
 */
final class Batcher {
    enum Kind { LIST, SET, HASH, ZSET }

    private final Kind kind;
    private final int maxElements;
    private final int maxBytes;
    private final EntryState state;
    private List<byte[]> first = new ArrayList<>();
    private List<byte[]> second;
    private long[] longs;
    private double[] doubles;
    private boolean anyExpiry;
    private int n;
    private long bytes;

    Batcher(Kind kind, EntryState state, int maxElements, int maxBytes) {
        this.kind = kind;
        this.state = state;
        this.maxElements = maxElements;
        this.maxBytes = maxBytes;
        reset(0);
    }

    /**
     * Starts a new batch. Most entries hold a handful of elements: the first batch starts small
     * and grows on demand; after a full batch, the next starts at that batch's size. The expiry and
     * score arrays are copied out by {@link #flush}, so they are kept.
     */
    private void reset(int previous) {
        int cap = Math.min(maxElements, Math.max(8, previous));
        first = new ArrayList<>(cap);
        second = kind == Kind.HASH ? new ArrayList<>(cap) : null;
        if (longs == null && (kind == Kind.HASH || kind == Kind.SET)) {
            longs = new long[cap];
        }
        if (doubles == null && kind == Kind.ZSET) {
            doubles = new double[cap];
        }
        anyExpiry = false;
        n = 0;
        bytes = 0;
    }

    private void ensure() {
        if (longs != null && n == longs.length) {
            longs = Arrays.copyOf(longs, Math.max(8, n * 2));
        }
        if (doubles != null && n == doubles.length) {
            doubles = Arrays.copyOf(doubles, Math.max(8, n * 2));
        }
    }

    /** Adds a list element or set member without expiry. */
    void add(byte[] e) {
        ensure();
        first.add(e);
        if (longs != null) {
            longs[n] = -1;
        }
        n++;
        bytes += e.length + 16;
        cutIfFull();
    }

    /** Adds a set member with an expiry (absolute seconds, -1 none). */
    void addMember(byte[] m, long expire) {
        ensure();
        first.add(m);
        longs[n++] = expire;
        anyExpiry |= expire >= 0;
        bytes += m.length + 24;
        cutIfFull();
    }

    /** Adds a hash field (expiry absolute ms, -1 none). */
    void addField(byte[] f, byte[] v, long expireMs) {
        ensure();
        first.add(f);
        second.add(v);
        longs[n++] = expireMs;
        anyExpiry |= expireMs >= 0;
        bytes += f.length + v.length + 40;
        cutIfFull();
    }

    void addScored(byte[] m, double score) {
        ensure();
        first.add(m);
        doubles[n++] = score;
        bytes += m.length + 24;
        cutIfFull();
    }

    private void cutIfFull() {
        if (n >= maxElements || bytes >= maxBytes) {
            emit(n); // more elements are likely: the next batch starts at this one's size
        }
    }

    /** Emits what is pending, if anything. */
    void flush() {
        if (n != 0) {
            emit(0);
        }
    }

    private void emit(int nextCapacity) {
        ValueBatch b;
        switch (kind) {
            case LIST:
                b = new ValueBatch.ListElements(first);
                break;
            case SET:
                b = new ValueBatch.SetMembers(first, anyExpiry ? Arrays.copyOf(longs, n) : null);
                break;
            case HASH:
                b = new ValueBatch.HashFields(first, second, anyExpiry ? Arrays.copyOf(longs, n) : null);
                break;
            default:
                b = new ValueBatch.ZSetMembers(first, Arrays.copyOf(doubles, n));
                break;
        }
        reset(nextCapacity);
        state.emit(b);
    }

    /** Whether a previous batch forced the expiry array (for hashes that mix TTL and plain fields). */
    boolean isEmpty() {
        return n == 0;
    }
}
