package io.df2redis.benchmarks;

import io.df2redis.protocol.rdb.EntrySummary;
import io.df2redis.protocol.rdb.RdbDecoder;
import io.df2redis.protocol.rdb.RdbEncoder;
import io.df2redis.protocol.rdb.RdbEntry;
import io.df2redis.protocol.rdb.RdbHandler;
import io.df2redis.protocol.rdb.RdbKeyValue;
import io.df2redis.protocol.rdb.RdbRecords;
import io.df2redis.protocol.rdb.RdbValue;
import io.df2redis.protocol.rdb.ValueBatch;
import io.df2redis.replica.FlowStats;
import io.df2redis.replica.JournalEvent;
import io.df2redis.replica.ReplicationListener;
import io.df2redis.replica.Replicator;
import io.df2redis.testkit.CompressionMode;
import io.df2redis.testkit.EmbeddedDragonflyMaster;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * End-to-end harness for the replicator (not JMH: one replication is one long operation).
 * The test kit's embedded master serves a generated dataset over loopback to a real
 * {@link Replicator} with a counting listener, then journals a burst of writes.
 *
 * <p>Figures, each against a reference measured in the same run:
 * <ul>
 *   <li>full sync: keys/s and uncompressed MB/s through the replicator, against the in-memory
 *       decode of the same dataset's RDB bytes (no network, no master): the ratio is the share of
 *       decoder speed the whole pipeline keeps;</li>
 *   <li>stable sync: journal entries/s applied (ACKable) by the replicator, against the rate the
 *       master journals them.</li>
 * </ul>
 *
 * <pre>java -cp df2redis-benchmarks/target/benchmarks.jar io.df2redis.benchmarks.SyncHarness [keys] [writes] [shards]</pre>
 */
public final class SyncHarness {
    private SyncHarness() {
    }

    public static void main(String[] args) throws Exception {
        int keys = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int writes = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        int shards = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        // rounds 1-2 warm the JIT up; report the last ones
        for (int round = 1; round <= 5; round++) {
            System.out.printf("round %d (%d keys, %d writes, %d shards, LZ4)%n", round, keys, writes, shards);
            run(keys, writes, shards);
        }
    }

    private static List<RdbKeyValue> dataset(int keys) {
        List<RdbKeyValue> out = new ArrayList<>(keys);
        for (int i = 0; i < keys; i++) {
            switch (i % 4) {
                case 0 -> out.add(RdbKeyValue.of("str:" + i, RdbValue.string("value-" + i + "-" + "x".repeat(40))));
                case 1 -> out.add(RdbKeyValue.of("hash:" + i, RdbValue.hash("f1", "v" + i, "f2", "w" + i, "f3", "z")));
                case 2 -> out.add(RdbKeyValue.of("list:" + i, RdbValue.list("a" + i, "b", "c", "d", "e")));
                default -> out.add(RdbKeyValue.of("set:" + i, RdbValue.set("m" + i, "n", "o", "p")));
            }
        }
        return out;
    }

    private static void run(int keys, int writes, int shards) throws Exception {
        List<RdbKeyValue> data = dataset(keys);

        // reference: decode the same dataset's RDB bytes in memory
        RdbEncoder enc = RdbEncoder.dragonfly();
        ByteBuf rdb = Unpooled.buffer();
        enc.writeHeader(rdb);
        RdbRecords.writeSelectDb(rdb, 0);
        for (RdbKeyValue kv : data) {
            enc.writeEntry(rdb, kv);
        }
        enc.writeEof(rdb);
        byte[] bytes = new byte[rdb.readableBytes()];
        rdb.readBytes(bytes);
        long[] refEntries = new long[1];
        double[] times = new double[8];
        for (int rep = 0; rep < times.length; rep++) { // the first runs warm the JIT up
            refEntries[0] = 0;
            long t0 = System.nanoTime();
            RdbDecoder d = RdbDecoder.forFile(new RdbHandler() {
                @Override
                public void onEntryEnd(RdbEntry entry, EntrySummary summary) {
                    refEntries[0]++;
                }
            });
            for (int off = 0; off < bytes.length; off += 65536) {
                d.feed(bytes, off, Math.min(65536, bytes.length - off));
            }
            d.finish();
            times[rep] = (System.nanoTime() - t0) / 1e9;
        }
        double[] warm = java.util.Arrays.copyOfRange(times, 3, times.length);
        java.util.Arrays.sort(warm);
        double refSeconds = warm[warm.length / 2];
        double refKeysPerSec = refEntries[0] / refSeconds;

        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(shards)
                .compression(CompressionMode.LZ4).start()) {
            m.putAll(0, data);
            AtomicLong entries = new AtomicLong();
            AtomicLong elements = new AtomicLong();
            AtomicLong journal = new AtomicLong();
            ReplicationListener counting = new ReplicationListener() {
                @Override
                public void onValueBatch(int flow, RdbEntry entry, ValueBatch batch) {
                    elements.addAndGet(batch.size());
                }

                @Override
                public void onEntryEnd(int flow, RdbEntry entry, EntrySummary summary) {
                    entries.incrementAndGet();
                }

                @Override
                public void onJournalEntry(JournalEvent e) {
                    journal.incrementAndGet();
                }
            };
            try (Replicator r = Replicator.builder().source(m.host(), m.port()).listener(counting).build()) {
                long s0 = System.nanoTime();
                r.start();
                if (!r.awaitFullSync(Duration.ofMinutes(10))) {
                    throw new IllegalStateException("full sync did not finish");
                }
                double syncSeconds = (System.nanoTime() - s0) / 1e9;
                r.awaitStableSync(Duration.ofMinutes(1));
                System.out.printf("  full sync: %d keys in %.2f s = %.0f keys/s, %.1f MB/s of RDB; in-memory decode of "
                                + "the same %d keys: %.0f keys/s -> ratio %.2f%n", entries.get(), syncSeconds,
                        entries.get() / syncSeconds, bytes.length / 1e6 / syncSeconds, refEntries[0], refKeysPerSec,
                        (entries.get() / syncSeconds) / refKeysPerSec);

                long w0 = System.nanoTime();
                for (int i = 0; i < writes; i++) {
                    m.write(0, "SET", "live:" + (i % 50_000), "v" + i);
                }
                double journalSeconds = (System.nanoTime() - w0) / 1e9;
                long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
                while (!caughtUp(m, r) && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                double applySeconds = (System.nanoTime() - w0) / 1e9;
                System.out.printf("  stable sync: %d entries applied in %.2f s = %.0f entries/s; the master journaled "
                                + "them at %.0f entries/s -> ratio %.2f%n", journal.get(), applySeconds,
                        journal.get() / applySeconds, writes / journalSeconds,
                        (journal.get() / applySeconds) / (writes / journalSeconds));
            }
        }
    }

    private static boolean caughtUp(EmbeddedDragonflyMaster m, Replicator r) {
        List<FlowStats> flows = r.stats().flows();
        for (int i = 0; i < flows.size(); i++) {
            if (flows.get(i).appliedLsn() != m.nextLsn(i)) {
                return false;
            }
        }
        return true;
    }
}
