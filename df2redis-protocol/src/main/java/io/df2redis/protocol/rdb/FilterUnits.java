package io.df2redis.protocol.rdb;

import io.df2redis.protocol.rdb.ValueUnits.Sequence;
import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The probabilistic filters: scalable Bloom filters (types 33, 34) and Cuckoo filters (37), their
 * bytes cut into chunks of {@link RdbEncoder#filterChunkBytes()} as Dragonfly writes them.
 */
final class FilterUnits {
    private FilterUnits() {
    }

    /** Writes a filter's bytes as [len][bytes] chunks of at most {@code chunk} bytes, one unit each. */
    private static final class ChunkedFilters extends ValueUnits.HeaderFirst {
        private final List<Consumer<ByteBuf>> heads;
        private final List<byte[]> filters;
        private final int chunk;
        private int filter;
        private int pos = -1; // -1: filter head not written yet

        ChunkedFilters(Consumer<ByteBuf> header, List<Consumer<ByteBuf>> heads, List<byte[]> filters, int chunk) {
            super(header);
            this.heads = heads;
            this.filters = filters;
            this.chunk = chunk;
        }

        @Override
        boolean nextAfterHeader(ByteBuf out) {
            if (filter == filters.size()) {
                return false;
            }
            byte[] f = filters.get(filter);
            if (pos < 0) {
                heads.get(filter).accept(out);
                RdbRecords.writeLength(out, f.length);
                pos = 0;
            }
            if (pos < f.length) {
                int n = Math.min(chunk, f.length - pos);
                RdbRecords.writeLength(out, n);
                out.writeBytes(f, pos, n);
                pos += n;
            }
            if (pos == f.length) {
                filter++;
                pos = -1;
            }
            return true;
        }
    }

    static ValueUnits bloom(RdbEncoder enc, boolean chunked, RdbValue.BloomValue b) {
        Consumer<ByteBuf> header = out -> {
            RdbRecords.writeLength(out, b.options());
            out.writeLongLE(Double.doubleToRawLongBits(b.growFactor()));
            out.writeLongLE(Double.doubleToRawLongBits(b.fpProbability()));
            RdbRecords.writeLength(out, b.prevSize());
            RdbRecords.writeLength(out, b.currentSize());
            RdbRecords.writeLength(out, b.maxCapacity());
            RdbRecords.writeLength(out, b.filters().size());
        };
        if (!chunked) {
            return new Sequence<>(header, b.filters().iterator(), (out, f, i) -> {
                RdbRecords.writeLength(out, f.hashCount());
                enc.writeString(out, f.bits());
            });
        }
        List<Consumer<ByteBuf>> heads = new ArrayList<>();
        List<byte[]> bits = new ArrayList<>();
        for (RdbValue.BloomFilter f : b.filters()) {
            heads.add(out -> RdbRecords.writeLength(out, f.hashCount()));
            bits.add(f.bits());
        }
        return new ChunkedFilters(header, heads, bits, enc.filterChunkBytes());
    }

    static ValueUnits cuckoo(RdbEncoder enc, RdbValue.CuckooValue c) {
        Consumer<ByteBuf> header = out -> {
            RdbRecords.writeLength(out, c.slotsPerBucket());
            RdbRecords.writeLength(out, c.maxIterations());
            RdbRecords.writeLength(out, c.expansion());
            RdbRecords.writeLength(out, c.bucketCount());
            RdbRecords.writeLength(out, c.itemCount());
            RdbRecords.writeLength(out, c.deleteCount());
            RdbRecords.writeLength(out, c.filters().size());
        };
        List<Consumer<ByteBuf>> heads = new ArrayList<>();
        for (int i = 0; i < c.filters().size(); i++) {
            heads.add(out -> {
            });
        }
        return new ChunkedFilters(header, heads, c.filters(), enc.filterChunkBytes());
    }
}
