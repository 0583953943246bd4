package io.df2redis.examples.cli;

import io.df2redis.protocol.rdb.RdbKeyValue;
import io.df2redis.protocol.rdb.RdbValue;
import io.df2redis.protocol.rdb.StreamId;
import io.df2redis.testkit.EmbeddedDragonflyMaster;
import io.df2redis.testkit.redis.RedisServerProcess;
import io.df2redis.tools.inspect.KeyspaceReader;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Shared by the replicate/migrate tests: the CLI run in-process with captured output, a dataset
 * written identically into the embedded master and into a reference redis-server, and a keyspace
 * comparison (expiries within a tolerance).
 */
final class CliSyncFixture {
    /** The hash {@code replicate} keeps its position in (exactly once); never compared. */
    static final String CHECKPOINT_KEY = io.df2redis.sink.redis.TargetCheckpointStore.DEFAULT_KEY;

    static final long TTL_TOLERANCE_MS = 5000;

    private CliSyncFixture() {
    }

    /** The outcome of one CLI run. */
    record Result(int code, String out, String err) {
    }

    /** A CLI with captured stdout/stderr; {@link #execute} may run on another thread. */
    static final class Cli {
        final CommandLine commandLine = Df2RedisCli.commandLine();
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();

        Cli() {
            commandLine.setOut(new PrintWriter(out, true));
            commandLine.setErr(new PrintWriter(err, true));
        }

        Result execute(String... args) {
            int code = commandLine.execute(args);
            return new Result(code, out.toString(), err.toString());
        }

        <T> T subcommand(String name) {
            return commandLine.getSubcommands().get(name).getCommand();
        }
    }

    static Result run(String... args) {
        return new Cli().execute(args);
    }

    /** A loopback port nothing listens on. */
    static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static String address(EmbeddedDragonflyMaster m) {
        return m.host() + ":" + m.port();
    }

    /** One write command applied to the master (journaled when a replica follows) and to the reference. */
    static void write(EmbeddedDragonflyMaster m, RedisServerProcess reference, int db, String... args) {
        m.write(db, args);
        reference.call("SELECT", db);
        reference.call((Object[]) args);
        reference.call("SELECT", 0);
    }

    /**
     * A dataset of every Redis type in dbs 0 and 3 — strings (one with a TTL, a counter, an
     * appended one), lists (one of 20 000 elements), sets, hashes, sorted sets, a stream — plus
     * {@code bulk} small strings, into the master and the reference alike.
     */
    static void fill(EmbeddedDragonflyMaster m, RedisServerProcess reference, int bulk) {
        reference.call("FLUSHALL");
        write(m, reference, 0, "SET", "str", "hello");
        write(m, reference, 0, "APPEND", "str", " world");
        write(m, reference, 0, "SET", "ttl", "expires later", "PX", "600000");
        write(m, reference, 0, "SET", "counter", "41");
        write(m, reference, 0, "INCR", "counter");
        write(m, reference, 0, "RPUSH", "list", "a", "b", "c");
        write(m, reference, 0, "LPUSH", "list", "z");
        write(m, reference, 0, "SADD", "set", "x", "y", "z");
        write(m, reference, 0, "HSET", "hash", "f1", "v1", "f2", "v2");
        write(m, reference, 0, "ZADD", "zset", "1.5", "a", "-2", "b", "3e10", "c");
        write(m, reference, 3, "SET", "db3:str", "in db 3");
        write(m, reference, 3, "HSET", "db3:hash", "k", "v");
        List<String> big = new ArrayList<>(List.of("RPUSH", "biglist"));
        for (int i = 0; i < 20_000; i++) {
            big.add("element-" + i);
        }
        write(m, reference, 0, big.toArray(String[]::new));
        for (int i = 0; i < bulk; i++) {
            write(m, reference, i % 2 == 0 ? 0 : 3, "SET", "bulk:" + i, "value-" + i);
        }
        List<RdbValue.StreamItem> items = new ArrayList<>();
        for (int i = 1; i <= 50; i++) {
            items.add(RdbValue.StreamItem.of(new StreamId(1_700_000_000_000L + i, 0), "event", "e" + i));
            reference.call("XADD", "stream", (1_700_000_000_000L + i) + "-0", "event", "e" + i);
        }
        m.put(0, RdbKeyValue.of("stream", RdbValue.StreamValue.of(items, List.of())));
    }

    static Map<String, Object> keyspace(RedisServerProcess r) throws Exception {
        return KeyspaceReader.read("127.0.0.1", r.port(), null, null, 16);
    }

    /** Every difference between two keyspaces (type, value, expiry beyond the tolerance), as text. */
    @SuppressWarnings("unchecked")
    static List<String> differences(Map<String, Object> expected, Map<String, Object> actual) {
        List<String> diffs = new ArrayList<>();
        TreeSet<String> dbs = new TreeSet<>(expected.keySet());
        dbs.addAll(actual.keySet());
        for (String db : dbs) {
            Map<String, Object> e = (Map<String, Object>) expected.getOrDefault(db, Map.of());
            Map<String, Object> a = (Map<String, Object>) actual.getOrDefault(db, Map.of());
            TreeSet<String> keys = new TreeSet<>(e.keySet());
            keys.addAll(a.keySet());
            for (String k : keys) {
                Map<String, Object> ek = (Map<String, Object>) e.get(k);
                Map<String, Object> ak = (Map<String, Object>) a.get(k);
                if (ek == null && k.equals(CHECKPOINT_KEY)) {
                    continue; // replicate's checkpoint in the target: its metadata, not a key of the source
                }
                if (ek == null || ak == null) {
                    diffs.add("db" + db + " " + k + (ek == null ? ": unexpected" : ": missing"));
                    continue;
                }
                Map<String, Object> ev = new LinkedHashMap<>(ek);
                Map<String, Object> av = new LinkedHashMap<>(ak);
                Object ee = ev.remove("expire_at_ms");
                Object ae = av.remove("expire_at_ms");
                if (!ev.equals(av)) {
                    diffs.add("db" + db + " " + k + ": " + ev + " != " + av);
                } else if ((ee == null) != (ae == null) || (ee != null
                        && Math.abs(((Number) ee).longValue() - ((Number) ae).longValue()) > TTL_TOLERANCE_MS)) {
                    diffs.add("db" + db + " " + k + ": expiry " + ee + " != " + ae);
                }
            }
        }
        return diffs;
    }

    /** Number of keys in a keyspace map. */
    @SuppressWarnings("unchecked")
    static long keyCount(Map<String, Object> ks) {
        return ks.values().stream().mapToLong(db -> ((Map<String, Object>) db).size()).sum();
    }

    static boolean same(Map<String, Object> a, Map<String, Object> b) {
        return Objects.equals(differences(a, b), List.of());
    }
}
