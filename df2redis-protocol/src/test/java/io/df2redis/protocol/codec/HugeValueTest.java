package io.df2redis.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.df2redis.protocol.rdb.EntrySummary;
import io.df2redis.protocol.rdb.EntryWriter;
import io.df2redis.protocol.rdb.RdbDecoder;
import io.df2redis.protocol.rdb.RdbDecoderOptions;
import io.df2redis.protocol.rdb.RdbEncoder;
import io.df2redis.protocol.rdb.RdbEntry;
import io.df2redis.protocol.rdb.RdbHandler;
import io.df2redis.protocol.rdb.RdbKeyValue;
import io.df2redis.protocol.rdb.RdbRecords;
import io.df2redis.protocol.rdb.RdbType;
import io.df2redis.protocol.rdb.RdbValue;
import io.df2redis.protocol.rdb.ValueBatch;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.List;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Values far bigger than the batches: the encoded stream is generated on the fly into one
 * reusable 64 KiB buffer (never held whole), the decoder only counts, and heap use must not grow
 * with the value's size.
 */
class HugeValueTest {
    private static final int FEED = 64 * 1024;
    private static final long MAX_HEAP_GROWTH = 64L << 20;

    /** Counts elements / bytes and checks every batch against the limits. */
    static final class Counting implements RdbHandler {
        final RdbDecoderOptions opts;
        long elements;
        long bytes;
        long batches;
        int largestBatchElements;
        long largestBatchBytes;
        long stringPosition;
        boolean ended;
        EntrySummary summary;
        int maxElementLength;
        long eofChecksum;

        Counting(RdbDecoderOptions opts) {
            this.opts = opts;
        }

        @Override
        public void onValueBatch(RdbEntry entry, ValueBatch batch) {
            batches++;
            if (batch instanceof ValueBatch.ListElements l) {
                long b = 0;
                for (byte[] e : l.elements()) {
                    b += e.length;
                    maxElementLength = Math.max(maxElementLength, e.length);
                }
                elements += l.elements().size();
                bytes += b;
                largestBatchElements = Math.max(largestBatchElements, l.elements().size());
                largestBatchBytes = Math.max(largestBatchBytes, b);
            } else if (batch instanceof ValueBatch.StringChunk c) {
                if (c.position() != stringPosition) {
                    throw new AssertionError("chunk at " + c.position() + ", expected " + stringPosition);
                }
                byte[] b = c.bytes();
                for (int i = 0; i < b.length; i++) {
                    if (b[i] != pattern(c.position() + i)) {
                        throw new AssertionError("wrong byte at " + (c.position() + i));
                    }
                }
                stringPosition += b.length;
                bytes += b.length;
                largestBatchBytes = Math.max(largestBatchBytes, b.length);
            } else {
                throw new AssertionError("unexpected batch " + batch);
            }
        }

        @Override
        public void onEof(long checksum) {
            eofChecksum = checksum;
        }

        @Override
        public void onEntryEnd(RdbEntry entry, EntrySummary s) {
            ended = true;
            summary = s;
        }
    }

    static byte pattern(long p) {
        return (byte) (p * 31 + (p >>> 13));
    }

    static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    /** Writes the next bytes of a stream; false once the stream is complete. */
    interface Producer {
        boolean writeSome(ByteBuf out);
    }

    /**
     * Feeds what {@code producer} writes through one reusable 64 KiB buffer, measuring the heap
     * after GC when {@code progress} passes 10 % and 90 % of {@code total}; returns the growth.
     */
    static long feed(RdbDecoder d, Producer producer, LongSupplier progress, long total) {
        ByteBuf buf = Unpooled.buffer(FEED + 16 * 1024);
        long heap10 = -1;
        long heap90 = -1;
        boolean more = true;
        while (more) {
            buf.clear();
            while (more && buf.writerIndex() < FEED) {
                more = producer.writeSome(buf);
            }
            d.feed(buf);
            assertThat(buf.isReadable()).isFalse();
            long p = progress.getAsLong();
            if (heap10 < 0 && p >= total / 10) {
                heap10 = usedHeapAfterGc();
            }
            if (heap90 < 0 && p >= total * 9 / 10) {
                heap90 = usedHeapAfterGc();
            }
        }
        d.finish();
        assertThat(heap10).isPositive();
        assertThat(heap90).isPositive();
        return heap90 - heap10;
    }

    @Test
    @Timeout(120)
    void fiveMillionElementQuicklist() {
        final int n = 5_000_000;
        List<byte[]> elements = new AbstractList<>() {
            @Override
            public byte[] get(int i) {
                // every third element is an integer (listpack int encodings), others short strings
                String s = i % 3 == 0 ? Integer.toString(i - n / 2) : "element:" + i;
                return s.getBytes(StandardCharsets.US_ASCII);
            }

            @Override
            public int size() {
                return n;
            }
        };
        RdbEncoder enc = RdbEncoder.dragonfly();
        RdbKeyValue kv = RdbKeyValue.of("big:list", RdbValue.list(elements));
        assertThat(kv.type()).isEqualTo(RdbType.LIST_QUICKLIST_2);
        RdbDecoderOptions opts = RdbDecoderOptions.builder().batchMaxElements(1000).batchMaxBytes(12 * 1024).build();
        Counting h = new Counting(opts);
        RdbDecoder d = RdbDecoder.forFile(h, opts);
        EntryWriter w = enc.entryWriter(kv);
        long[] crc = {0};
        int[] stage = {0};
        long start = System.nanoTime();
        long growth = feed(d, out -> {
            int from = out.writerIndex();
            boolean more = true;
            switch (stage[0]) {
                case 0:
                    enc.writeHeader(out);
                    RdbRecords.writeSelectDb(out, 3);
                    stage[0] = 1;
                    break;
                case 1:
                    if (!w.writeNext(out)) {
                        stage[0] = 2;
                    }
                    break;
                default:
                    crc[0] = RdbEncoder.crc64(crc[0], out, from, out.writerIndex() - from);
                    crc[0] = enc.writeFileEofContinuing(out, crc[0]); // the file's checksum from here on
                    more = false;
                    return more;
            }
            crc[0] = RdbEncoder.crc64(crc[0], out, from, out.writerIndex() - from);
            return more;
        }, () -> h.elements, n);
        long ms = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("quicklist of %d elements: %d batches, largest %d elements / %d bytes, %d nodes, heap "
                + "growth %d KiB, %d ms%n", h.elements, h.batches, h.largestBatchElements, h.largestBatchBytes,
                h.summary.nodes(), growth / 1024, ms);
        assertThat(h.ended).isTrue();
        assertThat(h.elements).isEqualTo(n);
        assertThat(h.summary.elements()).isEqualTo(n);
        assertThat(h.summary.packedNodes()).isEqualTo(h.summary.nodes()).isGreaterThan(n / 128 - 1);
        assertThat(h.largestBatchElements).isLessThanOrEqualTo(opts.batchMaxElements());
        assertThat(h.largestBatchBytes).isLessThanOrEqualTo(opts.batchMaxBytes() + h.maxElementLength);
        assertThat(growth).isLessThan(MAX_HEAP_GROWTH);
        assertThat(d.phase()).isEqualTo(RdbDecoder.Phase.DONE);
        // the decoder verified the CRC-64 computed while streaming
        assertThat(h.eofChecksum).isEqualTo(crc[0]).isNotZero();
    }

    @Test
    @Timeout(120)
    void twoHundredMibString() {
        final long size = 200L << 20;
        RdbEncoder enc = RdbEncoder.dragonfly();
        RdbDecoderOptions opts = RdbDecoderOptions.builder().stringChunkBytes(512 * 1024).build();
        Counting h = new Counting(opts);
        RdbDecoder d = RdbDecoder.forFlow(h, opts);
        long[] pos = {-1};
        byte[] block = new byte[8192];
        long start = System.nanoTime();
        long growth = feed(d, out -> {
            if (pos[0] < 0) {
                enc.writeHeader(out);
                enc.writeAux(out, "redis-ver", "6.2.11");
                enc.writeEntryHeader(out, "big:string".getBytes(StandardCharsets.US_ASCII), RdbType.STRING,
                        4102444800000L, 0, 0);
                RdbRecords.writeLength(out, size);
                pos[0] = 0;
                return true;
            }
            if (pos[0] < size) {
                int n = (int) Math.min(block.length, size - pos[0]);
                for (int i = 0; i < n; i++) {
                    block[i] = pattern(pos[0] + i);
                }
                out.writeBytes(block, 0, n);
                pos[0] += n;
                return true;
            }
            RdbRecords.writeFullSyncEnd(out);
            RdbRecords.writeJournalOffset(out, 1);
            enc.writeEof(out);
            RdbRecords.writeEofToken(out, "0123456789012345678901234567890123456789");
            return false;
        }, () -> h.bytes, size);
        long ms = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("string of %d bytes: %d chunks, largest %d bytes, heap growth %d KiB, %d ms%n", h.bytes,
                h.batches, h.largestBatchBytes, growth / 1024, ms);
        assertThat(h.ended).isTrue();
        assertThat(h.bytes).isEqualTo(size);
        assertThat(h.summary.elements()).isEqualTo(size);
        assertThat(h.largestBatchBytes).isLessThanOrEqualTo(opts.stringChunkBytes());
        assertThat(h.batches).isEqualTo(size / opts.stringChunkBytes());
        assertThat(growth).isLessThan(MAX_HEAP_GROWTH);
        assertThat(d.phase()).isEqualTo(RdbDecoder.Phase.JOURNAL);
    }
}
