package io.df2redis.sink.redis;

import io.df2redis.protocol.rdb.RdbKeyValue;
import io.df2redis.protocol.rdb.RdbValue;
import io.df2redis.protocol.resp.ArrayReply;
import io.df2redis.protocol.resp.BulkString;
import io.df2redis.protocol.resp.RespReplies;
import io.df2redis.protocol.resp.RespReply;
import io.df2redis.replica.Replicator;
import io.df2redis.sink.redis.verify.Report;
import io.df2redis.sink.redis.verify.Verifier;
import io.df2redis.sink.redis.verify.VerifyEndpoint;
import io.df2redis.sink.redis.verify.VerifyOptions;
import io.df2redis.testkit.EmbeddedDragonflyMaster;
import io.df2redis.testkit.redis.RedisServerProcess;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12's filter property: for random key sets and random filters (include/exclude globs, dbs,
 * types, a prefix rename), a full sync followed by a live workload leaves the target holding exactly
 * the filtered and renamed source — checked twice, by an independent model (the master's dataset
 * filtered and renamed here, against the target's keys per db) and by the {@link Verifier} with the
 * same filter (values, TTLs, both directions). Snapshot and journal paths must agree: the workload
 * touches keys on both sides of the filter, cuts multi-key commands, and moves keys between them
 * only within one side (a move across sides is the unsupported-data policy's, see
 * {@code JournalFilterTest}).
 */
class KeyFilterReplicationIT {
    private static final String[] PREFIXES = {"user:", "user:tmp:", "acct:", "log:"};
    private static RedisServerProcess redis;

    @BeforeContainer
    static void startRedis() throws Exception {
        redis = RedisServerProcess.start();
    }

    @AfterContainer
    static void stopRedis() throws Exception {
        if (redis != null) {
            redis.close();
        }
    }

    /** A random filter, described for the report. */
    record Spec(List<String> include, List<String> exclude, List<Integer> dbs, List<String> types, boolean rename) {
        KeyFilter filter() {
            KeyFilter.Builder b = KeyFilter.builder();
            include.forEach(b::includeKeys);
            exclude.forEach(b::excludeKeys);
            if (!dbs.isEmpty()) {
                b.includeDbs(dbs.stream().mapToInt(Integer::intValue).toArray());
            }
            types.forEach(b::excludeTypes);
            if (rename) {
                b.renamePrefix("user:", "u:");
            }
            return b.build();
        }
    }

    @Provide
    Arbitrary<Spec> specs() {
        return Combinators.combine(
                Arbitraries.of("user:*", "acct:*", "*:1*", "log:?").list().ofMaxSize(2).uniqueElements(),
                Arbitraries.of("user:tmp:*", "*7", "acct:[0-3]*").list().ofMaxSize(2).uniqueElements(),
                Arbitraries.of(0, 1, 2).list().ofMaxSize(2).uniqueElements(),
                Arbitraries.of("list", "zset", "hash").list().ofMaxSize(1),
                Arbitraries.of(true, false)).as(Spec::new);
    }

    @Property(tries = 10)
    void theTargetIsTheFilteredRenamedSource(@ForAll("specs") Spec spec, @ForAll long seed) throws Exception {
        redis.call("FLUSHALL");
        KeyFilter f = spec.filter();
        Random rnd = new Random(seed);
        RedisSink sink = RedisSink.standalone(redis.address()).keyFilter(f).build();
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).start();
             Replicator r = Replicator.builder().source(m.host(), m.port()).ownedSink(sink).build()) {
            for (int i = 0; i < 120; i++) {
                m.put(rnd.nextInt(3), RdbKeyValue.of(key(rnd), value(rnd)));
            }
            r.start();
            assertThat(r.awaitStableSync(Duration.ofSeconds(30))).isTrue();
            for (int i = 0; i < 300; i++) {
                m.write(rnd.nextInt(3), command(rnd));
            }
            EmbeddedMasterRedisSinkIT.awaitApplied(r, m);
            assertThat(sink.stats().errors()).as("sink errors: %s", sink.stats()).isZero();
            assertThat(sink.stats().skippedTotal()).isZero();

            // the model: the master's dataset, filtered and renamed, per db
            for (int db = 0; db < 3; db++) {
                TreeSet<String> expected = new TreeSet<>();
                for (RdbKeyValue kv : m.entries(db)) {
                    if (f.passes(db, kv.key()) && f.passesType(kv.type().logicalType().typeReply())) {
                        expected.add(text(f.rename(db, kv.key())));
                    }
                }
                assertThat(targetKeys(db)).as("db %d with %s", db, f).isEqualTo(expected);
            }
            VerifyOptions o = VerifyOptions.builder().keyFilter(f).build();
            try (Verifier v = Verifier.connect(VerifyEndpoint.of(m.host(), m.port()),
                    VerifyEndpoint.parse(redis.address()), o)) {
                Report report = v.verify();
                assertThat(report.differences()).as("%s: %s", f, report.summary()).isEmpty();
            }
        }
    }

    private static String key(Random rnd) {
        return PREFIXES[rnd.nextInt(PREFIXES.length)] + rnd.nextInt(20);
    }

    private static RdbValue value(Random rnd) {
        return switch (rnd.nextInt(6)) {
            case 0 -> RdbValue.string("v" + rnd.nextInt(1000));
            case 4 -> RdbValue.StreamValue.of(List.of(RdbValue.StreamItem.of(
                    new io.df2redis.protocol.rdb.StreamId(1000 + rnd.nextInt(9), 0), "f", "v")), List.of());
            case 1 -> RdbValue.list("a", "b" + rnd.nextInt(9));
            case 2 -> RdbValue.set("x", "y" + rnd.nextInt(9));
            case 3 -> RdbValue.hash("f", "v" + rnd.nextInt(9));
            default -> RdbValue.zset(List.of(b("m"), b("n")), new double[] {1.5, rnd.nextInt(9)});
        };
    }

    /** A write of the workload; keys move only within their prefix, so both names pass or neither does. */
    private static String[] command(Random rnd) {
        String p = PREFIXES[rnd.nextInt(PREFIXES.length)];
        String k = p + rnd.nextInt(20);
        return switch (rnd.nextInt(11)) {
            case 0 -> new String[] {"SET", k, "live" + rnd.nextInt(99)};
            case 1 -> new String[] {"DEL", k, key(rnd), key(rnd)};
            case 2 -> new String[] {"MSET", key(rnd), "m1", key(rnd), "m2"};
            case 3 -> new String[] {"LPUSH", "l" + k, "e" + rnd.nextInt(9)};
            case 4 -> new String[] {"HSET", "h" + k, "f" + rnd.nextInt(3), "v"};
            case 5 -> new String[] {"ZADD", "z" + k, Integer.toString(rnd.nextInt(9)), "m"};
            case 6 -> new String[] {"INCR", "n" + k};
            case 7 -> new String[] {"APPEND", k + ":s", "x"};
            case 8 -> new String[] {"EXPIRE", k, "3600"};
            case 9 -> new String[] {"XADD", "x" + k, "*", "f", "v" + rnd.nextInt(9)};
            default -> new String[] {"SADD", "s" + k, "m" + rnd.nextInt(5)};
        };
    }

    private static TreeSet<String> targetKeys(int db) {
        redis.call("SELECT", db);
        TreeSet<String> keys = new TreeSet<>();
        String cursor = "0";
        do {
            List<RespReply> page = ((ArrayReply) redis.call("SCAN", cursor, "COUNT", "1000")).elements();
            cursor = RespReplies.text(page.get(0));
            for (RespReply k : ((ArrayReply) page.get(1)).elements()) {
                keys.add(((BulkString) k).asString());
            }
        } while (!cursor.equals("0"));
        redis.call("SELECT", 0);
        return keys;
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] k) {
        return new String(k, StandardCharsets.UTF_8);
    }
}
