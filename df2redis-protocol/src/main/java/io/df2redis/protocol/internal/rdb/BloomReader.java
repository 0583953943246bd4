package io.df2redis.protocol.internal.rdb;

import io.df2redis.protocol.internal.Bytes;
import io.df2redis.protocol.rdb.RdbType;
import io.df2redis.protocol.rdb.ValueBatch;
import io.netty.buffer.ByteBuf;

/** SBF (33) and SBF2 (34): header, then per filter its hash count and bytes. */
final class BloomReader extends FilterBytes {
    private final boolean chunked;
    private long hashCount;

    BloomReader(RdbType type, EntryState st, Io io) {
        super(st, io);
        this.chunked = type == RdbType.SBF2;
    }

    @Override
    boolean step(ByteBuf in) {
        switch (phase) {
            case 0: {
                long options = io.length(in, "SBF options");
                double grow = Bytes.f64le(in);
                double fp = Bytes.f64le(in);
                long prev = io.length(in, "SBF prev size");
                long cur = io.length(in, "SBF current size");
                long max = io.length(in, "SBF max capacity");
                long n = io.length(in, "SBF filter count");
                filters = n;
                state.declaredCount = n;
                state.emit(new ValueBatch.BloomHeader(options, grow, fp, prev, cur, max, n));
                filterIndex = -1;
                phase = 1;
                return n == 0;
            }
            case 1: {
                if (!chunked) {
                    long hc = io.length(in, "SBF hash count");
                    byte[] bits = io.string(in);
                    filterIndex++;
                    state.emit(new ValueBatch.FilterData(filterIndex, hc, bits.length, 0, bits));
                    return filterIndex + 1 == filters;
                }
                long hc = io.length(in, "SBF hash count");
                long total = io.length(in, "SBF filter size");
                hashCount = hc;
                return beginFilter(total);
            }
            default:
                return readChunks(in, hashCount);
        }
    }
}
