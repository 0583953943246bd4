package io.df2redis.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.df2redis.protocol.LimitExceededException;
import io.df2redis.protocol.ProtocolException;
import io.df2redis.protocol.TruncatedInputException;
import io.df2redis.protocol.journal.JournalDecoder;
import io.df2redis.protocol.journal.JournalEncoder;
import io.df2redis.protocol.rdb.RdbDecoder;
import io.df2redis.protocol.rdb.RdbDecoderOptions;
import io.df2redis.protocol.rdb.RdbEncoder;
import io.df2redis.protocol.rdb.RdbOpcodes;
import io.df2redis.protocol.rdb.RdbRecords;
import io.df2redis.protocol.rdb.RdbType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * Hostile input: corrupted, truncated and padded streams must end in a clean decode or a
 * {@link ProtocolException} (never another exception, never a hang), and absurd declared
 * lengths must fail without allocating what they declare.
 */
class CorruptionPropertiesTest {
    private static final long GUARD_MS = 2000;

    /** How a valid stream is damaged. */
    enum Mutation { FLIP, FLIPS, INSERT, DELETE, TRUNCATE, GARBAGE_AFTER_HEADER, OVERWRITE_RUN }

    static byte[] mutate(byte[] in, Mutation m, Gen g) {
        int n = in.length;
        switch (m) {
            case FLIP: {
                byte[] b = in.clone();
                b[g.r.nextInt(n)] ^= (byte) (1 << g.r.nextInt(8));
                return b;
            }
            case FLIPS: {
                byte[] b = in.clone();
                int k = g.between(2, 8);
                for (int i = 0; i < k; i++) {
                    b[g.r.nextInt(n)] = (byte) g.r.nextInt(256);
                }
                return b;
            }
            case INSERT: {
                int at = g.r.nextInt(n + 1);
                byte[] ins = new byte[g.between(1, 16)];
                g.r.nextBytes(ins);
                return splice(in, at, 0, ins);
            }
            case DELETE: {
                int at = g.r.nextInt(n);
                return splice(in, at, Math.min(n - at, g.between(1, 16)), new byte[0]);
            }
            case TRUNCATE:
                return java.util.Arrays.copyOf(in, g.r.nextInt(n));
            case GARBAGE_AFTER_HEADER: {
                byte[] garbage = new byte[g.between(1, 2000)];
                g.r.nextBytes(garbage);
                int keep = Math.min(n, 9 + g.r.nextInt(40));
                return splice(java.util.Arrays.copyOf(in, keep), keep, 0, garbage);
            }
            default: {
                byte[] b = in.clone();
                int at = g.r.nextInt(n);
                int len = Math.min(n - at, g.between(1, 64));
                byte fill = g.chance(50) ? (byte) 0xFF : (byte) g.r.nextInt(256);
                java.util.Arrays.fill(b, at, at + len, fill);
                return b;
            }
        }
    }

    static byte[] splice(byte[] in, int at, int remove, byte[] insert) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.write(in, 0, at);
        o.write(insert, 0, insert.length);
        o.write(in, at + remove, in.length - at - remove);
        return o.toByteArray();
    }

    /** Asserts that {@code t} is an acceptable failure: a ProtocolException that is no masked internal error. */
    static void assertCleanFailure(Throwable t) {
        if (!(t instanceof ProtocolException p)) {
            throw new AssertionError("decoder threw " + t.getClass().getName() + " instead of a ProtocolException", t);
        }
        assertThat(p.offset()).isGreaterThanOrEqualTo(-1);
        assertThat(p.getMessage()).isNotBlank();
        if (p.getMessage().startsWith("decoder failure")) {
            throw new AssertionError("an internal error was wrapped into a ProtocolException: " + p.getMessage(), p);
        }
    }

    static RdbDecoderOptions fuzzOptions(Gen g) {
        if (g.chance(50)) {
            return RdbDecoderOptions.defaults();
        }
        return RdbDecoderOptions.builder().batchMaxElements(g.between(1, 100)).stringChunkBytes(g.between(1, 5000))
                .maxElementBytes(1 << 20).maxBlobBytes(1 << 20).build();
    }

    @Property(tries = 800)
    void damagedRdbStreamsFailCleanly(@ForAll long seed, @ForAll boolean flow, @ForAll Mutation mutation)
            throws Throwable {
        Gen g = new Gen(seed);
        Streams.Built b = g.chance(20) ? Streams.interleaved(g, flow) : Streams.mixed(g, flow);
        byte[] bad = mutate(b.bytes, mutation, g);
        RdbDecoderOptions opts = fuzzOptions(g);
        Decode.Split split = g.chance(50) ? Decode.Split.WHOLE : Decode.Split.RANDOM;
        Decode.within(GUARD_MS, () -> {
            try {
                Decode.rdb(bad, flow, opts, split, seed, new Recorder(true, false));
            } catch (Throwable t) {
                assertCleanFailure(t);
            }
            return null;
        });
    }

    @Property(tries = 1000)
    void damagedJournalStreamsFailCleanly(@ForAll long seed, @ForAll Mutation mutation) throws Throwable {
        Gen g = new Gen(seed);
        ByteBuf out = Unpooled.buffer();
        int n = g.between(1, 30);
        for (int i = 0; i < n; i++) {
            out.writeBytes(g.journalItem(g.r.nextInt(20)).bytes());
            if (g.chance(20)) {
                JournalEncoder.writeLsn(out, g.r.nextInt(1000));
            }
        }
        byte[] bytes = new byte[out.readableBytes()];
        out.readBytes(bytes);
        byte[] bad = mutate(bytes, mutation == Mutation.GARBAGE_AFTER_HEADER ? Mutation.FLIPS : mutation, g);
        Decode.within(GUARD_MS, () -> {
            JournalDecoder d = new JournalDecoder(new io.df2redis.protocol.journal.JournalHandler() { }, g.chance(50) ? 1 << 20 : JournalDecoder.DEFAULT_MAX_ENTRY_BYTES,
                    g.chance(50) ? 1000 : JournalDecoder.DEFAULT_MAX_ARGS);
            d.nextLsn(1 + g.r.nextInt(100));
            ByteBuf cum = Unpooled.buffer();
            try {
                int i = 0;
                while (i < bad.length) {
                    int k = Math.min(bad.length - i, g.between(1, 300));
                    cum.writeBytes(bad, i, k);
                    i += k;
                    d.decode(cum);
                    cum.discardReadBytes();
                }
                d.finish(cum);
            } catch (Throwable t) {
                assertCleanFailure(t);
            }
            return null;
        });
    }

    /** Garbage journal blobs inside an RDB stream. */
    @Property(tries = 500)
    void garbageJournalBlobsFailCleanly(@ForAll long seed) throws Throwable {
        Gen g = new Gen(seed);
        RdbEncoder enc = RdbEncoder.dragonfly();
        ByteBuf out = Unpooled.buffer();
        enc.writeHeader(out);
        byte[] item = g.journalItem(0).bytes();
        byte[] bad = mutate(item, Mutation.values()[g.r.nextInt(Mutation.values().length)], g);
        enc.writeJournalBlob(out, g.chance(80) ? 1 : g.r.nextInt(5), bad);
        enc.writeEof(out);
        byte[] bytes = new byte[out.readableBytes()];
        out.readBytes(bytes);
        Decode.within(GUARD_MS, () -> {
            try {
                Decode.rdb(bytes, false, RdbDecoderOptions.defaults(), Decode.Split.RANDOM, seed, new Recorder(true,
                        false));
            } catch (Throwable t) {
                assertCleanFailure(t);
            }
            return null;
        });
    }

    // ------------------------------------------------------------------ absurd declared lengths

    private static final long HUGE = 1L << 40;

    /** Bytes produced by {@code writer}, after a REDIS0009 header. */
    private static byte[] stream(Consumer<ByteBuf> writer) {
        ByteBuf out = Unpooled.buffer();
        RdbEncoder.dragonfly().writeHeader(out);
        writer.accept(out);
        byte[] b = new byte[out.readableBytes()];
        out.readBytes(b);
        return b;
    }

    private static void entryHeader(ByteBuf out, RdbType type) {
        out.writeByte(type.code());
        RdbRecords.writeRawString(out, "k".getBytes());
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /**
     * Decodes {@code bytes} in this thread and asserts it fails with one of {@code expected},
     * allocating far less than the declared sizes (under 32 MiB).
     */
    @SafeVarargs
    private static void assertFailsCheaply(String what, byte[] bytes, Class<? extends ProtocolException>... expected) {
        long before = allocatedBytes();
        Throwable thrown = null;
        try {
            RdbDecoder d = RdbDecoder.forFile(new Recorder(true, false));
            d.feed(Unpooled.wrappedBuffer(bytes));
            d.finish();
        } catch (Throwable t) {
            thrown = t;
        }
        long allocated = allocatedBytes() - before;
        if (thrown == null) {
            fail(what + ": decoded without error");
        }
        assertCleanFailure(thrown);
        boolean ok = false;
        for (Class<? extends ProtocolException> c : expected) {
            ok |= c.isInstance(thrown);
        }
        assertThat(ok).as(what + ": " + thrown).isTrue();
        assertThat(allocated).as(what + ": bytes allocated while decoding").isLessThan(32L << 20);
    }

    @Test
    @SuppressWarnings("deprecation") // commons-compress' XXHash32, for a valid LZ4 header checksum
    void absurdLengthsFailWithoutAllocating() {
        List<Object[]> cases = new ArrayList<>();
        cases.add(new Object[] {"2^40-element LIST", stream(o -> {
            entryHeader(o, RdbType.LIST);
            RdbRecords.writeLength(o, HUGE);
            RdbRecords.writeRawString(o, "a".getBytes());
        })});
        cases.add(new Object[] {"2^40-node LIST_QUICKLIST_2", stream(o -> {
            entryHeader(o, RdbType.LIST_QUICKLIST_2);
            RdbRecords.writeLength(o, HUGE);
        })});
        cases.add(new Object[] {"2^40-member SET", stream(o -> {
            entryHeader(o, RdbType.SET);
            RdbRecords.writeLength(o, HUGE);
        })});
        cases.add(new Object[] {"2^40-field HASH_WITH_EXPIRY", stream(o -> {
            entryHeader(o, RdbType.HASH_WITH_EXPIRY);
            RdbRecords.writeLength(o, HUGE);
        })});
        cases.add(new Object[] {"2^40-member ZSET_2", stream(o -> {
            entryHeader(o, RdbType.ZSET_2);
            RdbRecords.writeLength(o, HUGE);
        })});
        cases.add(new Object[] {"2^31-byte string", stream(o -> {
            entryHeader(o, RdbType.STRING);
            RdbRecords.writeLength(o, 1L << 31);
            o.writeBytes("abc".getBytes());
        })});
        cases.add(new Object[] {"2^40-byte string", stream(o -> {
            entryHeader(o, RdbType.STRING);
            RdbRecords.writeLength(o, HUGE);
        })});
        cases.add(new Object[] {"2^31-byte list element", stream(o -> {
            entryHeader(o, RdbType.LIST);
            RdbRecords.writeLength(o, 1);
            RdbRecords.writeLength(o, (1L << 31) - 1);
        })});
        cases.add(new Object[] {"2^31-byte key", stream(o -> {
            o.writeByte(0);
            RdbRecords.writeLength(o, 1L << 31);
        })});
        cases.add(new Object[] {"400 MiB listpack", stream(o -> {
            entryHeader(o, RdbType.HASH_LISTPACK);
            RdbRecords.writeLength(o, 400L << 20);
        })});
        cases.add(new Object[] {"LZF string declaring 2^31 bytes", stream(o -> {
            entryHeader(o, RdbType.STRING);
            o.writeByte(0xC3);
            RdbRecords.writeLength(o, 3);
            RdbRecords.writeLength(o, 1L << 31);
            o.writeBytes(new byte[] {1, 'a', 'b'});
        })});
        cases.add(new Object[] {"LZF string declaring 400 MiB from 3 bytes", stream(o -> {
            entryHeader(o, RdbType.STRING);
            o.writeByte(0xC3);
            RdbRecords.writeLength(o, 3);
            RdbRecords.writeLength(o, 400L << 20);
            o.writeBytes(new byte[] {1, 'a', 'b'});
        })});
        cases.add(new Object[] {"2^31-byte compressed blob", stream(o -> {
            o.writeByte(RdbOpcodes.LZ4_BLOB);
            RdbRecords.writeLength(o, 1L << 31);
        })});
        cases.add(new Object[] {"200 MiB compressed blob", stream(o -> {
            o.writeByte(RdbOpcodes.ZSTD_BLOB);
            RdbRecords.writeLength(o, 200L << 20);
        })});
        cases.add(new Object[] {"LZ4 frame declaring 200 MiB", stream(o -> {
            byte[] frame = io.df2redis.protocol.internal.BlobCodec.compressLz4(new byte[] {1, 2, 3});
            for (int i = 0; i < 8; i++) {
                frame[6 + i] = (byte) ((200L << 20) >>> (8 * i));
            }
            // a valid header checksum, so that only the declared size is absurd
            org.apache.commons.compress.compressors.lz4.XXHash32 h =
                    new org.apache.commons.compress.compressors.lz4.XXHash32();
            h.update(frame, 4, 10);
            frame[14] = (byte) ((h.getValue() >> 8) & 0xFF);
            o.writeByte(RdbOpcodes.LZ4_BLOB);
            RdbRecords.writeLength(o, frame.length);
            o.writeBytes(frame);
        })});
        cases.add(new Object[] {"2^31-byte TAGGED_CHUNK", stream(o -> {
            o.writeByte(RdbOpcodes.TAGGED_CHUNK);
            o.writeIntLE(1);
            o.writeIntLE(Integer.MIN_VALUE);
        })});
        cases.add(new Object[] {"200 MiB TAGGED_CHUNK", stream(o -> {
            o.writeByte(RdbOpcodes.TAGGED_CHUNK);
            o.writeIntLE(1);
            o.writeIntLE(200 << 20);
        })});
        cases.add(new Object[] {"JOURNAL_BLOB of 2^31 bytes", stream(o -> {
            o.writeByte(RdbOpcodes.JOURNAL_BLOB);
            RdbRecords.writeLength(o, 1);
            RdbRecords.writeLength(o, 1L << 31);
        })});
        cases.add(new Object[] {"2^40-node stream", stream(o -> {
            entryHeader(o, RdbType.STREAM_LISTPACKS_3);
            RdbRecords.writeLength(o, HUGE);
        })});
        cases.add(new Object[] {"stream with 2^40 groups / PEL", stream(o -> {
            entryHeader(o, RdbType.STREAM_LISTPACKS_3);
            RdbRecords.writeLength(o, 0);
            for (int i = 0; i < 8; i++) {
                RdbRecords.writeLength(o, 1);
            }
            RdbRecords.writeLength(o, HUGE); // groups
            RdbRecords.writeRawString(o, "g".getBytes());
            RdbRecords.writeLength(o, 1);
            RdbRecords.writeLength(o, 1);
            RdbRecords.writeLength(o, 1);
            RdbRecords.writeLength(o, HUGE); // PEL
        })});
        cases.add(new Object[] {"2^40 SBF filters", stream(o -> {
            entryHeader(o, RdbType.SBF2);
            RdbRecords.writeLength(o, 0);
            o.writeLongLE(Double.doubleToLongBits(2));
            o.writeLongLE(Double.doubleToLongBits(0.01));
            RdbRecords.writeLength(o, 1);
            RdbRecords.writeLength(o, 1);
            RdbRecords.writeLength(o, 1);
            RdbRecords.writeLength(o, HUGE);
            RdbRecords.writeLength(o, 3);
            RdbRecords.writeLength(o, HUGE); // filter size
            RdbRecords.writeLength(o, 60L << 20); // chunk
        })});
        cases.add(new Object[] {"CMS of 2^20 x 2^20 counters", stream(o -> {
            entryHeader(o, RdbType.CMS);
            RdbRecords.writeLength(o, 1L << 20);
            RdbRecords.writeLength(o, 1L << 20);
            RdbRecords.writeLength(o, 0);
        })});
        cases.add(new Object[] {"CMS of 2^12 x 2^12 counters", stream(o -> {
            entryHeader(o, RdbType.CMS);
            RdbRecords.writeLength(o, 1L << 12);
            RdbRecords.writeLength(o, 1L << 12);
            RdbRecords.writeLength(o, 0);
        })});
        cases.add(new Object[] {"TOPK with a 2^24-item heap", stream(o -> {
            entryHeader(o, RdbType.TOPK);
            RdbRecords.writeLength(o, 0);
            RdbRecords.writeLength(o, 1L << 24);
            RdbRecords.writeLength(o, 8);
            RdbRecords.writeLength(o, 8);
            o.writeLongLE(Double.doubleToLongBits(0.9));
            RdbRecords.writeLength(o, 1L << 24);
        })});
        cases.add(new Object[] {"TOPK with 2^31 counter bytes", stream(o -> {
            entryHeader(o, RdbType.TOPK);
            RdbRecords.writeLength(o, 0);
            RdbRecords.writeLength(o, 1);
            RdbRecords.writeLength(o, 8);
            RdbRecords.writeLength(o, 8);
            o.writeLongLE(Double.doubleToLongBits(0.9));
            RdbRecords.writeLength(o, 0);
            RdbRecords.writeLength(o, 1L << 31);
        })});
        cases.add(new Object[] {"module value of 2^31-byte string", stream(o -> {
            entryHeader(o, RdbType.MODULE_2);
            RdbRecords.writeLength(o, 12345);
            RdbRecords.writeLength(o, 5);
            RdbRecords.writeLength(o, 1L << 31);
        })});
        cases.add(new Object[] {"stream node declaring 2^30 master fields", streamNode(lp -> lp.addInt(1).addInt(0)
                .addInt(1 << 30).add("f".getBytes()).addInt(0))});
        cases.add(new Object[] {"stream entry declaring 2^29 fields", streamNode(lp -> lp.addInt(1).addInt(0)
                .addInt(1).add("f".getBytes()).addInt(0).addInt(0).addInt(0).addInt(0).addInt(1 << 29)
                .add("f".getBytes()).add("v".getBytes()))});
        cases.add(new Object[] {"stream entry declaring 2^30 fields", streamNode(lp -> lp.addInt(1).addInt(0)
                .addInt(1).add("f".getBytes()).addInt(0).addInt(0).addInt(0).addInt(0).addInt(1 << 30))});
        cases.add(new Object[] {"ZSTD frame declaring 200 MiB", stream(o -> {
            byte[] frame = zstdFrameDeclaring(200L << 20);
            o.writeByte(RdbOpcodes.ZSTD_BLOB);
            RdbRecords.writeLength(o, frame.length);
            o.writeBytes(frame);
        })});
        List<String> failures = new ArrayList<>();
        for (Object[] c : cases) {
            try {
                assertFailsCheaply((String) c[0], (byte[]) c[1], LimitExceededException.class,
                        TruncatedInputException.class, io.df2redis.protocol.rdb.RdbProtocolException.class);
            } catch (AssertionError e) {
                failures.add(e.getMessage());
            }
        }
        assertThat(failures).isEmpty();
    }

    /**
     * A ZSTD frame header (single segment, 8-byte content size) declaring {@code size} bytes,
     * followed by one small raw last block: a well-formed header on a tiny frame.
     */
    static byte[] zstdFrameDeclaring(long size) {
        ByteBuf b = Unpooled.buffer();
        b.writeIntLE(0xFD2FB528);
        b.writeByte(0xE0); // FCS 8 bytes, single segment, no checksum, no dict
        b.writeLongLE(size);
        b.writeMediumLE((4 << 3) | 1); // last block, raw, 4 bytes
        b.writeBytes(new byte[] {1, 2, 3, 4});
        return bytes(b);
    }

    /** A type-21 stream whose single node listpack is built by {@code lp}. */
    private static byte[] streamNode(Consumer<io.df2redis.protocol.internal.CompactWriter.Listpack> lp) {
        io.df2redis.protocol.internal.CompactWriter.Listpack l = new io.df2redis.protocol.internal.CompactWriter.Listpack();
        lp.accept(l);
        byte[] node = l.build();
        return stream(o -> {
            entryHeader(o, RdbType.STREAM_LISTPACKS_3);
            RdbRecords.writeLength(o, 1);
            RdbRecords.writeRawString(o, new byte[16]);
            RdbRecords.writeRawString(o, node);
            for (int i = 0; i < 9; i++) {
                RdbRecords.writeLength(o, 0);
            }
            RdbEncoder.dragonfly().writeEof(o);
        });
    }

    @Test
    void absurdDeclaredCountsFailAtFinishAsTruncated() {
        byte[] list = stream(o -> {
            entryHeader(o, RdbType.LIST);
            RdbRecords.writeLength(o, HUGE);
            RdbRecords.writeRawString(o, "a".getBytes());
            RdbRecords.writeRawString(o, "b".getBytes());
        });
        assertFailsCheaply("list", list, TruncatedInputException.class);
        byte[] string = stream(o -> {
            entryHeader(o, RdbType.STRING);
            RdbRecords.writeLength(o, 1L << 31);
            o.writeBytes(new byte[1000]);
        });
        assertFailsCheaply("string", string, TruncatedInputException.class);
        byte[] lzf = stream(o -> {
            entryHeader(o, RdbType.STRING);
            o.writeByte(0xC3);
            RdbRecords.writeLength(o, 1L << 31);
            RdbRecords.writeLength(o, 1L << 31);
        });
        assertFailsCheaply("LZF string", lzf, LimitExceededException.class);
    }

    @Test
    void absurdJournalLengthsFailCheaply() {
        List<byte[]> cases = new ArrayList<>();
        ByteBuf a = Unpooled.buffer();
        a.writeByte(10);
        a.writeByte(0);
        a.writeByte(1);
        RdbRecords.writeLength(a, 1L << 24); // nargs
        RdbRecords.writeLength(a, 1L << 30); // total_len
        cases.add(bytes(a));
        ByteBuf b = Unpooled.buffer();
        b.writeByte(10);
        b.writeByte(0);
        b.writeByte(1);
        RdbRecords.writeLength(b, 2);
        RdbRecords.writeLength(b, 3);
        RdbRecords.writeLength(b, HUGE);
        b.writeBytes(new byte[10]);
        cases.add(bytes(b));
        ByteBuf c = Unpooled.buffer();
        c.writeByte(10);
        c.writeByte(0x81);
        c.writeLong(-1);
        cases.add(bytes(c));
        for (byte[] bad : cases) {
            long before = allocatedBytes();
            JournalDecoder d = new JournalDecoder(new io.df2redis.protocol.journal.JournalHandler() { });
            ByteBuf in = Unpooled.wrappedBuffer(bad);
            Throwable thrown = null;
            try {
                d.decode(in);
                d.finish(in);
            } catch (Throwable t) {
                thrown = t;
            }
            assertThat(thrown).isNotNull();
            assertCleanFailure(thrown);
            assertThat(allocatedBytes() - before).isLessThan(32L << 20);
        }
    }

    private static byte[] bytes(ByteBuf b) {
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        return out;
    }
}
