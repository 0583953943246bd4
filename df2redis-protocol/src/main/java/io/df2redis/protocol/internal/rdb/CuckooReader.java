package io.df2redis.protocol.internal.rdb;

import io.df2redis.protocol.rdb.ValueBatch;
import io.netty.buffer.ByteBuf;

/** CUCKOO (37): header, then per filter its size and raw chunks. */
final class CuckooReader extends FilterBytes {

    CuckooReader(EntryState st, Io io) {
        super(st, io);
    }

    @Override
    boolean step(ByteBuf in) {
        switch (phase) {
            case 0: {
                long spb = io.length(in, "slots per bucket");
                long maxIt = io.length(in, "max iterations");
                long exp = io.length(in, "expansion");
                long buckets = io.length(in, "bucket count");
                long items = io.length(in, "item count");
                long deletes = io.length(in, "delete count");
                long n = io.length(in, "filter count");
                filters = n;
                state.declaredCount = items;
                state.emit(new ValueBatch.CuckooHeader(spb, maxIt, exp, buckets, items, deletes, n));
                filterIndex = -1;
                phase = 1;
                return n == 0;
            }
            case 1: {
                return beginFilter(io.length(in, "cuckoo filter size"));
            }
            default:
                return readChunks(in, -1);
        }
    }
}
