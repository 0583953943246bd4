package io.df2redis.benchmarks;

import io.df2redis.protocol.journal.JournalDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
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

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Throughput of {@link JournalDecoder} on stable-sync journal streams held in memory.
 *
 * <p>One operation decodes one whole stream; the bytes are made visible to the decoder 64 KiB
 * at a time through one buffer whose writer index advances, so an entry cut by a slice end is
 * re-read from its start as with Netty's cumulation. The secondary {@code entries} result is
 * journal entries/s (COMMAND, SELECT and LSN records alike, each one {@code onJournalEntry}
 * call), {@code bytes} input bytes/s (see {@link ThroughputCounters}).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class JournalDecodeBenchmark {
    static final int SLICE = 64 * 1024;

    /** A generated ~16 MiB journal: see {@link SyntheticStreams#journal}. */
    @State(Scope.Benchmark)
    public static class GeneratedJournal {
        /** {@code SMALL}: values of 8–32 bytes; {@code MIXED}: 70% ≤64 B, 25% 100–1000 B, 5% 4–16 KiB. */
        @Param({"SMALL", "MIXED"})
        public SyntheticStreams.JournalProfile profile;

        byte[] bytes;

        @Setup(Level.Trial)
        public void generate(Blackhole bh) {
            SyntheticStreams.JournalContents c = SyntheticStreams.journal(profile, 16L << 20, 7);
            bytes = c.bytes();
            ConsumingHandler h = decode(bytes, 1, bh);
            if (h.journalEntries != c.entries()) {
                throw new IllegalStateException("generated " + c.entries() + " entries, decoded " + h.journalEntries);
            }
            System.out.println("# input generated journal " + profile + ": " + c + "; decoded " + h);
        }
    }

    /**
     * The stable-sync journal of a captured flow: the bytes after the eof token
     * ({@code journal_start_offset} of the case's handshake.json) to the end of the file.
     */
    @State(Scope.Benchmark)
    public static class CapturedJournal {
        /** Both {@code journal-2shards} cases: ~120 scripted commands, LSN records, MULTI/EXEC, EVAL, …. */
        @Param({"v1.40.1/journal-2shards/flow-1", "v1.30.3/journal-2shards/flow-1"})
        public String flow;

        byte[] bytes;

        @Setup(Level.Trial)
        public void load(Blackhole bh) {
            int slash = flow.lastIndexOf('/');
            String caseDir = "dragonfly/" + flow.substring(0, slash);
            int flowIndex = Integer.parseInt(flow.substring(slash + "/flow-".length()));
            byte[] file = Vectors.read("dragonfly/" + flow + ".bin");
            int start = Vectors.journalStartOffset(caseDir, flowIndex);
            bytes = Arrays.copyOfRange(file, start, file.length);
            ConsumingHandler h = decode(bytes, 0, bh);
            System.out.println("# input journal part of " + flow + ": " + bytes.length + " bytes (from offset " + start
                    + "); decoded " + h);
        }
    }

    @Benchmark
    public ConsumingHandler generatedJournal(GeneratedJournal in, ThroughputCounters counters, Blackhole bh) {
        ConsumingHandler h = decode(in.bytes, 1, bh);
        counters.bytes += in.bytes.length;
        counters.entries += h.journalEntries;
        return h;
    }

    @Benchmark
    public ConsumingHandler capturedJournal(CapturedJournal in, ThroughputCounters counters, Blackhole bh) {
        ConsumingHandler h = decode(in.bytes, 0, bh);
        counters.bytes += in.bytes.length;
        counters.entries += h.journalEntries;
        return h;
    }

    /**
     * Decodes a whole journal stream.
     *
     * @param firstLsn the LSN of the stream's first entry, enabling LSN assignment and LSN-record checks; 0 if unknown
     */
    static ConsumingHandler decode(byte[] bytes, long firstLsn, Blackhole bh) {
        ConsumingHandler h = new ConsumingHandler(bh);
        JournalDecoder d = new JournalDecoder(h);
        if (firstLsn > 0) {
            d.nextLsn(firstLsn);
        }
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        buf.writerIndex(0);
        int visible = 0;
        while (visible < bytes.length) {
            visible = Math.min(bytes.length, visible + SLICE);
            buf.writerIndex(visible);
            d.decode(buf);
        }
        d.finish(buf);
        return h;
    }
}
