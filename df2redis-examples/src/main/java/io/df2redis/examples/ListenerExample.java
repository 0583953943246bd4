package io.df2redis.examples;

import io.df2redis.protocol.rdb.EntrySummary;
import io.df2redis.protocol.rdb.RdbEntry;
import io.df2redis.replica.DragonflyEndpoint;
import io.df2redis.replica.JournalEvent;
import io.df2redis.replica.MasterInfo;
import io.df2redis.replica.ReplicationListener;
import io.df2redis.replica.Replicator;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;

/**
 * The smallest useful embedding: follow a Dragonfly master with a listener only. Prints the
 * handshake, counts the snapshot's keys per type, then prints every journal command.
 *
 * <pre>java -cp df2redis.jar io.df2redis.examples.ListenerExample HOST PORT [PASSWORD]</pre>
 */
public final class ListenerExample {
    private ListenerExample() {
    }

    /**
     * Replicates from the master until the JVM is stopped (Ctrl-C), printing as it goes; waits up
     * to an hour for stable sync.
     *
     * @param args {@code HOST PORT [PASSWORD]} of the Dragonfly master
     * @throws Exception when the replication fails or the wait is interrupted
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: ListenerExample HOST PORT [PASSWORD]");
            System.exit(2);
        }
        DragonflyEndpoint source = DragonflyEndpoint.of(args[0], Integer.parseInt(args[1]));
        if (args.length > 2) {
            source = source.withPassword(args[2]);
        }
        Map<String, LongAdder> keysPerType = new ConcurrentHashMap<>();
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));

        try (Replicator replicator = Replicator.builder()
                .source(source)
                .listener(new ReplicationListener() {
                    @Override
                    public void onHandshake(MasterInfo master) {
                        System.out.printf("connected to %s: %d flows, master id %s%n",
                                master.release(), master.flowCount(), master.masterId());
                    }

                    @Override
                    public void onEntryEnd(int flow, RdbEntry entry, EntrySummary summary) {
                        keysPerType.computeIfAbsent(entry.type().logicalType().typeReply(), t -> new LongAdder())
                                .increment();
                    }

                    @Override
                    public void onFullSyncComplete() {
                        Map<String, Long> sorted = new TreeMap<>();
                        keysPerType.forEach((t, n) -> sorted.put(t, n.sum()));
                        System.out.println("full sync complete: " + sorted);
                    }

                    @Override
                    public void onJournalEntry(JournalEvent e) {
                        System.out.printf("flow %d lsn %d db %d: %s%n", e.flow(), e.lsn(), e.db(),
                                String.join(" ", e.entry().argsAsStrings()));
                    }
                })
                .build()) {
            replicator.start();
            replicator.awaitStableSync(Duration.ofHours(1));
            stop.await();
        }
    }
}
