package io.df2redis.testkit.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One shard's journal: the LSN counter (started by the first {@code DFLY FLOW} naming the shard;
 * the first item gets LSN 1) and the partial-sync backlog ring of the last items.
 */
final class ShardJournal {
    /** One journal item as stored: its LSN and its bytes (SELECT + entry, or a bare PING). */
    record Item(long lsn, byte[] bytes) {
    }

    private final int capacity;
    private final ArrayDeque<Item> backlog = new ArrayDeque<>();
    private long nextLsn;

    ShardJournal(int capacity) {
        this.capacity = capacity;
    }

    boolean started() {
        return nextLsn > 0;
    }

    void start() {
        if (nextLsn == 0) {
            nextLsn = 1;
        }
    }

    /** The LSN of the next item (0 while not started). */
    long nextLsn() {
        return nextLsn;
    }

    Item append(byte[] bytes) {
        Item it = new Item(nextLsn++, bytes);
        if (capacity > 0) {
            backlog.addLast(it);
            while (backlog.size() > capacity) {
                backlog.removeFirst();
            }
        }
        return it;
    }

    /** Whether a replica asking for {@code lsn} can be served from the backlog (or is exactly up to date). */
    boolean canServe(long lsn) {
        if (!started() || lsn > nextLsn || lsn < 1) {
            return false;
        }
        if (lsn == nextLsn) {
            return true;
        }
        return !backlog.isEmpty() && backlog.peekFirst().lsn() <= lsn;
    }

    /** Items with LSN ≥ {@code lsn}; null if some of them were evicted. */
    List<Item> from(long lsn) {
        if (!canServe(lsn)) {
            return null;
        }
        List<Item> out = new ArrayList<>();
        for (Item it : backlog) {
            if (it.lsn() >= lsn) {
                out.add(it);
            }
        }
        return out;
    }

    void reset() {
        nextLsn = 0;
        backlog.clear();
    }
}
