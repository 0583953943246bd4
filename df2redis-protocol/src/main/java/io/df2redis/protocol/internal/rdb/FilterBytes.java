package io.df2redis.protocol.internal.rdb;

import io.df2redis.protocol.internal.Bytes;
import io.df2redis.protocol.rdb.ValueBatch;
import io.netty.buffer.ByteBuf;

/** Streams the raw bytes of a chunked filter in fixed-size pieces. */
abstract class FilterBytes extends ValueReader {
    int filterIndex;
    long filterTotal;
    long filterPos;
    long chunkLeft;

    FilterBytes(EntryState st, Io io) {
        super(st, io);
    }

    /** Reads the next piece of the current raw chunk; returns true when the chunk is done. */
    boolean piece(ByteBuf in, long hashCount) {
        int n = (int) Math.min(chunkLeft, io.options.stringChunkBytes());
        byte[] b = Bytes.bytes(in, n);
        state.emit(new ValueBatch.FilterData(filterIndex, hashCount, filterTotal, filterPos, b));
        filterPos += n;
        chunkLeft -= n;
        return chunkLeft == 0;
    }

    long chunkLength(ByteBuf in) {
        long c = io.length(in, "filter chunk length");
        if (c == 0 || c > filterTotal - filterPos) {
            throw io.error("filter chunk of " + c + " bytes with " + (filterTotal - filterPos) + " bytes left");
        }
        return c;
    }
}
