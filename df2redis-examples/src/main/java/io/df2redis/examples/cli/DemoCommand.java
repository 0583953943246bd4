package io.df2redis.examples.cli;

import io.df2redis.protocol.net.HostAndPort;
import io.df2redis.protocol.rdb.EntrySummary;
import io.df2redis.protocol.rdb.RdbEntry;
import io.df2redis.protocol.rdb.RdbKeyValue;
import io.df2redis.protocol.rdb.RdbValue;
import io.df2redis.protocol.rdb.StreamId;
import io.df2redis.protocol.rdb.ValueBatch;
import io.df2redis.replica.FlowStats;
import io.df2redis.replica.JournalEvent;
import io.df2redis.replica.MasterInfo;
import io.df2redis.replica.ReplicationListener;
import io.df2redis.replica.Replicator;
import io.df2redis.sink.redis.FullSyncTargetPolicy;
import io.df2redis.sink.redis.RedisSink;
import io.df2redis.sink.redis.UnsupportedDataPolicy;
import io.df2redis.testkit.EmbeddedDragonflyMaster;
import io.df2redis.tools.inspect.KeyspaceCollector;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code df2redis demo}: runs the whole pipeline on one machine. An embedded Dragonfly-protocol
 * master (the test kit's) holds sample data of every Redis type; a {@link Replicator} follows it
 * as a replica — full sync, then a burst of live writes — into a local Redis when one answers and
 * holds no key (or with {@code --force}), else into an in-memory keyspace; a summary is printed.
 * The demo's sink flushes its target explicitly ({@link FullSyncTargetPolicy#FLUSH}, logged).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Replicate an embedded Dragonfly-protocol master with sample data into a local Redis "
            + "(when one answers) or into memory, and print what happened."})
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--redis", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:6379",
            description = "Redis to write into when it answers PING (default ${DEFAULT-VALUE}); otherwise in memory")
    String redis;

    @Option(names = "--no-redis", description = "replicate into memory even if a Redis answers")
    boolean noRedis;

    @Option(names = "--force", description = "use the Redis even if it holds keys: they are DELETED first "
            + "(FullSyncTargetPolicy.FLUSH, logged)")
    boolean force;

    @Mixin
    LoggingOptions logging;

    @Option(names = "--keys", defaultValue = "20000", description = "sample keys (default ${DEFAULT-VALUE})")
    int keys;

    @Option(names = "--shards", defaultValue = "4", description = "master shards, i.e. flows (default ${DEFAULT-VALUE})")
    int shards;

    @Override
    public Integer call() throws Exception {
        logging.apply();
        String why = noRedis ? "--no-redis" : "no Redis answered at " + redis;
        boolean useRedis = false;
        if (!noRedis && answers(redis)) {
            if (force || isEmpty(redis)) {
                useRedis = true;
            } else {
                why = "the Redis at " + redis + " holds keys; the demo flushes its target, so it uses memory "
                        + "(pass --force to use that Redis anyway)";
            }
        }
        final boolean toRedis = useRedis;
        try (EmbeddedDragonflyMaster master = EmbeddedDragonflyMaster.builder().shards(shards).start()) {
            sample(master, keys);
            int total = master.dbs().stream().mapToInt(db -> master.entries(db).size()).sum();
            System.out.printf("embedded Dragonfly-protocol master on %s:%d: %d shards, %d sample keys%n",
                    master.host(), master.port(), shards, total);
            KeyspaceCollector memory = new KeyspaceCollector(false, System.currentTimeMillis());
            Map<String, AtomicLong> perType = new TreeMap<>();
            AtomicLong journal = new AtomicLong();
            ReplicationListener listener = new ReplicationListener() {
                @Override
                public void onHandshake(MasterInfo m) {
                    System.out.printf("handshake: %s, %d flows, session %s%n", m.release(), m.flowCount(),
                            m.syncId());
                }

                @Override
                public void onEntryStart(int flow, RdbEntry entry) {
                    if (!toRedis) {
                        synchronized (memory) {
                            memory.onEntryStart(entry);
                        }
                    }
                }

                @Override
                public void onValueBatch(int flow, RdbEntry entry, ValueBatch batch) {
                    if (!toRedis) {
                        synchronized (memory) {
                            memory.onValueBatch(entry, batch);
                        }
                    }
                }

                @Override
                public void onEntryEnd(int flow, RdbEntry entry, EntrySummary summary) {
                    synchronized (perType) {
                        perType.computeIfAbsent(entry.type().logicalType().typeReply(), t -> new AtomicLong())
                                .incrementAndGet();
                    }
                    if (!toRedis) {
                        synchronized (memory) {
                            memory.onEntryEnd(entry, summary);
                        }
                    }
                }

                @Override
                public void onJournalEntry(JournalEvent e) {
                    journal.incrementAndGet();
                }
            };
            Replicator.Builder b = Replicator.builder().source(master.host(), master.port()).listener(listener);
            RedisSink sink = null;
            if (toRedis) {
                // the demo's own choice, made explicitly: its target is flushed (an empty one, unless --force)
                sink = RedisSink.standalone(redis).fullSyncTargetPolicy(FullSyncTargetPolicy.FLUSH)
                        .unsupportedDataPolicy(UnsupportedDataPolicy.SKIP_AND_COUNT).build();
                b.ownedSink(sink);
                System.out.println("target: Redis at " + redis + " (FullSyncTargetPolicy.FLUSH: flushed at the full "
                        + "sync start" + (force ? "; --force: the keys it holds are deleted" : ", it holds no key")
                        + ")");
            } else {
                System.out.println("target: in memory (" + why + ")");
            }
            long t0 = System.nanoTime();
            try (Replicator r = b.build()) {
                r.start();
                if (!r.awaitStableSync(Duration.ofMinutes(5))) {
                    System.err.println("df2redis: full sync did not complete within 5 minutes");
                    return Df2RedisCli.FAILURE;
                }
                System.out.printf("full sync done in %d ms: %s%n", (System.nanoTime() - t0) / 1_000_000, perType);
                for (int i = 0; i < 1000; i++) {
                    master.write(0, "SET", "live:" + i, "written after the full sync");
                    master.write(0, "INCR", "live:counter");
                }
                master.write(1, "FLUSHDB");
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (!caughtUp(master, r) && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                List<FlowStats> flows = r.stats().flows();
                System.out.printf("stable sync: %d journal entries applied; per-flow applied LSNs %s%n", journal.get(),
                        flows.stream().map(FlowStats::appliedLsn).toList());
                if (sink != null) {
                    System.out.printf("redis sink: %d commands, %d errors, %d keys Redis cannot hold (skipped: %s)%n",
                            sink.stats().commands(), sink.stats().errors(), sink.stats().skippedTotal(),
                            sink.stats().skippedByReason());
                } else {
                    System.out.printf("in-memory replica: %d keys from the snapshot%n", memory.keyCount());
                }
                return caughtUp(master, r) ? Df2RedisCli.OK : Df2RedisCli.FAILURE;
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
        return !flows.isEmpty();
    }

    /** Whether a Redis answers PING at {@code hostPort} within 300 ms. */
    static boolean answers(String hostPort) {
        String reply = ask(hostPort, "*1\r\n$4\r\nPING\r\n", 7);
        return reply != null && reply.startsWith("+PONG");
    }

    /** Whether the Redis at {@code hostPort} holds no key in any db ({@code INFO keyspace} lists no db). */
    static boolean isEmpty(String hostPort) {
        String reply = ask(hostPort, "*2\r\n$4\r\nINFO\r\n$8\r\nkeyspace\r\n", 4096);
        return reply != null && reply.startsWith("$") && !reply.contains("\ndb");
    }

    private static String ask(String hostPort, String command, int maxBytes) {
        HostAndPort hp = HostAndPort.parse(hostPort);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(hp.host(), hp.port()), 300);
            s.setSoTimeout(500);
            OutputStream out = s.getOutputStream();
            out.write(command.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[maxBytes];
            int n = in.read(buf);
            return n <= 0 ? null : new String(buf, 0, n, StandardCharsets.US_ASCII);
        } catch (Exception e) {
            return null;
        }
    }

    /** Sample data: every Redis-native type, a TTL, a second db, and a few Dragonfly-only values. */
    static void sample(EmbeddedDragonflyMaster m, int keys) {
        long future = System.currentTimeMillis() + 24L * 3600 * 1000;
        for (int i = 0; i < keys; i++) {
            switch (i % 5) {
                case 0 -> m.put(0, RdbKeyValue.of("user:" + i, RdbValue.hash("name", "user " + i, "visits",
                        Integer.toString(i))));
                case 1 -> m.put(0, RdbKeyValue.of("session:" + i, RdbValue.string("token-" + i)).withExpireAtMs(future));
                case 2 -> m.put(0, RdbKeyValue.of("tags:" + i, RdbValue.set("a", "b", "t" + (i % 17))));
                case 3 -> m.put(0, RdbKeyValue.of("events:" + i, RdbValue.list("created", "updated", "seen:" + i)));
                default -> m.put(0, RdbKeyValue.of("score:" + i, RdbValue.zset(List.of(bytes("x"), bytes("y")),
                        new double[] {i, i + 0.5})));
            }
        }
        List<RdbValue.StreamItem> items = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            items.add(RdbValue.StreamItem.of(new StreamId(1_700_000_000_000L + i, 0), "event", "e" + i));
        }
        m.put(0, RdbKeyValue.of("stream:events", RdbValue.StreamValue.of(items, List.of())));
        m.put(0, RdbKeyValue.of("doc:1", RdbValue.json("{\"hello\":\"dragonfly\"}")));
        List<byte[]> big = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            big.add(bytes("item-" + i));
        }
        m.put(0, RdbKeyValue.of("big:list", RdbValue.list(big)));
        m.put(1, RdbKeyValue.of("db1:greeting", RdbValue.string("hello from db 1")));
        m.put(1, RdbKeyValue.of("db1:temp", RdbValue.string("flushed by FLUSHDB in the demo")));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
