package io.df2redis.testkit.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code REPLCONF ACK} values received per flow id (of the newest flow connection with that id). */
public final class AckRegistry {
    private final Map<Integer, List<Long>> acks = new HashMap<>();

    public synchronized void record(int flow, long lsn) {
        acks.computeIfAbsent(flow, f -> new ArrayList<>()).add(lsn);
        notifyAll();
    }

    /** Forgets the ACKs of {@code flow} (a new flow connection took over that id). */
    public synchronized void reset(int flow) {
        acks.remove(flow);
    }

    public synchronized void clear() {
        acks.clear();
    }

    public synchronized long last(int flow) {
        List<Long> l = acks.get(flow);
        return l == null || l.isEmpty() ? -1 : l.get(l.size() - 1);
    }

    public synchronized List<Long> all(int flow) {
        List<Long> l = acks.get(flow);
        return l == null ? List.of() : List.copyOf(l);
    }

    /** Waits until the last ACK of {@code flow} is at least {@code lsn}. */
    public synchronized boolean await(int flow, long lsn, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (last(flow) < lsn) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }
}
