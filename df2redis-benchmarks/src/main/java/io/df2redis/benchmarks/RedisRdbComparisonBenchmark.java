package io.df2redis.benchmarks;

import com.moilioncircle.redis.replicator.Configuration;
import com.moilioncircle.redis.replicator.RedisRdbReplicator;
import com.moilioncircle.redis.replicator.rdb.datatype.KeyStringValueHash;
import com.moilioncircle.redis.replicator.rdb.datatype.KeyStringValueList;
import com.moilioncircle.redis.replicator.rdb.datatype.KeyStringValueSet;
import com.moilioncircle.redis.replicator.rdb.datatype.KeyStringValueZSet;
import com.moilioncircle.redis.replicator.rdb.datatype.KeyValuePair;
import io.df2redis.protocol.rdb.RdbDecoder;
import io.df2redis.protocol.rdb.RdbDecoderOptions;
import io.df2redis.protocol.rdb.RdbEntry;
import io.df2redis.protocol.rdb.RdbHandler;
import io.df2redis.protocol.rdb.ValueBatch;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * The same standard Redis RDB file, loaded into memory, parsed completely by our
 * {@link RdbDecoder#forFile} and by redis-replicator's {@link RedisRdbReplicator}, with the same
 * JMH settings in the same run. Both sides materialise every value (our decoder as
 * {@link ValueBatch}es of byte arrays, redis-replicator as its {@code KeyStringValue*} objects
 * with their default visitor) and sink it into the {@link Blackhole}.
 *
 * <p>redis-replicator 3.8.1 fails on an entry of that file; {@link RdbFile} cuts such entries
 * out (and rewrites the CRC64) so that both parsers get the same bytes; the setup prints what
 * was removed.
 *
 * <p>One operation parses the whole file; {@code bytes} is input bytes/s, {@code entries}
 * key/value entries/s (see {@link ThroughputCounters}). The benchmark thread's CPU time per
 * parse is printed at the end of each trial (see {@link CpuTime}): the figure to compare on a
 * busy machine. Our decoder is measured with and without CRC64 verification of the file's checksum,
 * which redis-replicator does not verify.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 10, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class RedisRdbComparisonBenchmark {
    static final String FILE = "redis/redis-7.0-alltypes.rdb";
    static final int SLICE = 64 * 1024;

    /**
     * The input both parsers get: {@value #FILE} (386 466 bytes: RDB 10, every Redis 7.0 encoding,
     * dbs 0, 1 and 7), minus any entry redis-replicator cannot parse, with the CRC64 rewritten
     * (see {@link #load}).
     */
    @State(Scope.Benchmark)
    public static class RdbFile {
        byte[] bytes;

        /**
         * Loads the file and lets redis-replicator parse it; each entry it fails on (it rejects
         * e.g. the score string {@code -inf} in a listpack zset) is cut from the file, which is
         * then parsed again, until it parses completely. Then both parsers must find the same
         * entries and, per container type, the same number of elements, which shows that
         * redis-replicator parsed the values rather than skipped them.
         */
        @Setup(Level.Trial)
        public void load() throws IOException {
            byte[] original = Vectors.read(FILE);
            List<RdbFileEditor.Span> spans = RdbFileEditor.entries(original);
            Set<Integer> dropped = new TreeSet<>();
            List<String> reasons = new ArrayList<>();
            bytes = original;
            while (true) {
                long[] parsed = new long[1];
                RedisRdbReplicator r = replicator(bytes);
                r.addEventListener((rep, event) -> {
                    if (event instanceof KeyValuePair<?, ?>) {
                        parsed[0]++;
                    }
                });
                try {
                    r.open();
                    break;
                } catch (IOException | RuntimeException e) {
                    int failed = nthKept(spans.size(), dropped, parsed[0]);
                    if (failed < 0 || dropped.size() >= 8) {
                        throw new IllegalStateException("redis-replicator cannot parse " + FILE, e);
                    }
                    dropped.add(failed);
                    RdbFileEditor.Span s = spans.get(failed);
                    reasons.add("'" + s.key() + "' (" + (s.end() - s.start()) + " bytes): " + e);
                    bytes = RdbFileEditor.without(original, spans, dropped);
                }
            }
            System.out.println("# input " + FILE + ": " + original.length + " bytes, " + spans.size() + " entries");
            for (String reason : reasons) {
                System.out.println("# redis-replicator fails on entry " + reason + "; entry removed");
            }
            System.out.println("# comparison input: " + bytes.length + " bytes, " + (spans.size() - dropped.size())
                    + " entries");
            crossCheck(bytes);
        }

        private static int nthKept(int count, Set<Integer> dropped, long n) {
            long seen = 0;
            for (int i = 0; i < count; i++) {
                if (!dropped.contains(i) && seen++ == n) {
                    return i;
                }
            }
            return -1;
        }
    }

    /** Options of our decoder. */
    @State(Scope.Benchmark)
    public static class OurOptions {
        /** Whether the CRC64 after EOF is verified (our default: true). */
        @Param({"true", "false"})
        public boolean verifyChecksum;

        RdbDecoderOptions options;

        @Setup(Level.Trial)
        public void build() {
            options = RdbDecoderOptions.builder().verifyChecksum(verifyChecksum).build();
        }
    }

    static void crossCheck(byte[] bytes) throws IOException {
        long[] ours = new long[5]; // entries, list, set, hash, zset elements
        RdbDecoder d = RdbDecoder.forFile(new RdbHandler() {
            @Override
            public void onEntryStart(RdbEntry entry) {
                ours[0]++;
            }

            @Override
            public void onValueBatch(RdbEntry entry, ValueBatch batch) {
                if (batch instanceof ValueBatch.ListElements) {
                    ours[1] += batch.size();
                } else if (batch instanceof ValueBatch.SetMembers) {
                    ours[2] += batch.size();
                } else if (batch instanceof ValueBatch.HashFields) {
                    ours[3] += batch.size();
                } else if (batch instanceof ValueBatch.ZSetMembers) {
                    ours[4] += batch.size();
                }
            }
        });
        d.feed(bytes, 0, bytes.length);
        d.finish();

        long[] theirs = new long[5];
        RedisRdbReplicator r = replicator(bytes);
        r.addEventListener((rep, event) -> {
            if (event instanceof KeyValuePair<?, ?>) {
                theirs[0]++;
            }
            if (event instanceof KeyStringValueList l) {
                theirs[1] += l.getValue().size();
            } else if (event instanceof KeyStringValueSet s) {
                theirs[2] += s.getValue().size();
            } else if (event instanceof KeyStringValueHash h) {
                theirs[3] += h.getValue().size();
            } else if (event instanceof KeyStringValueZSet z) {
                theirs[4] += z.getValue().size();
            }
        });
        r.open();
        String report = "entries / list elements / set members / hash fields / zset members: ours "
                + Arrays.toString(ours) + ", redis-replicator " + Arrays.toString(theirs);
        if (!Arrays.equals(ours, theirs)) {
            throw new IllegalStateException("the parsers disagree: " + report);
        }
        System.out.println("# cross-check passed: " + report);
    }

    @Benchmark
    public ConsumingHandler df2redisDecoder(RdbFile in, OurOptions o, ThroughputCounters counters,
                                            CpuTime cpu, Blackhole bh) {
        long t0 = CpuTime.now();
        ConsumingHandler h = decode(in.bytes, o.options, bh);
        cpu.add(t0);
        counters.bytes += in.bytes.length;
        counters.entries += h.entries;
        return h;
    }

    @Benchmark
    public long redisReplicator(RdbFile in, ThroughputCounters counters, CpuTime cpu, Blackhole bh)
            throws IOException {
        long t0 = CpuTime.now();
        long[] entries = new long[1];
        RedisRdbReplicator r = replicator(in.bytes);
        r.addEventListener((rep, event) -> {
            if (event instanceof KeyValuePair<?, ?>) {
                entries[0]++;
            }
            bh.consume(event);
        });
        r.open(); // parses the whole stream synchronously, then closes
        cpu.add(t0);
        counters.bytes += in.bytes.length;
        counters.entries += entries[0];
        return entries[0];
    }

    /** Our decoder over the file fed in {@link #SLICE}-byte pieces. */
    static ConsumingHandler decode(byte[] bytes, RdbDecoderOptions options, Blackhole bh) {
        ConsumingHandler h = new ConsumingHandler(bh);
        RdbDecoder d = RdbDecoder.forFile(h, options);
        for (int off = 0; off < bytes.length; off += SLICE) {
            d.feed(bytes, off, Math.min(SLICE, bytes.length - off));
        }
        d.finish();
        return h;
    }

    /**
     * redis-replicator over the bytes in memory, with its default (value-materialising) visitor.
     * Its default exception listener only logs; without it a parse error propagates from {@code open()}.
     */
    static RedisRdbReplicator replicator(byte[] bytes) {
        Configuration conf = Configuration.defaultSetting().setUseDefaultExceptionListener(false);
        return new RedisRdbReplicator(new ByteArrayInputStream(bytes), conf);
    }
}
