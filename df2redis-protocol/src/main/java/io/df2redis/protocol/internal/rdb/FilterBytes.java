package io.df2redis.protocol.internal.rdb;

import io.df2redis.protocol.internal.Bytes;
import io.df2redis.protocol.rdb.ValueBatch;
import io.netty.buffer.ByteBuf;

/** Streams the raw bytes of a chunked filter in fixed-size pieces. */
abstract class FilterBytes extends ValueReader {
    /** 0 header, 1 filter head, 2 chunk length, 3 chunk bytes. */
    int phase;
    /** The value's number of filters (-1 until its header is read). */
    long filters = -1;
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

    /** Starts the next filter, of {@code total} bytes; true when that ends the value (an empty last filter). */
    boolean beginFilter(long total) {
        filterIndex++;
        filterTotal = total;
        filterPos = 0;
        if (total == 0) {
            return filterIndex + 1 == filters;
        }
        phase = 2;
        return false;
    }

    /** Phases 2 and 3: a chunk's length, then its bytes; true when the last filter is complete. */
    boolean readChunks(ByteBuf in, long hashCount) {
        if (phase == 2) {
            chunkLeft = chunkLength(in);
            phase = 3;
            return false;
        }
        if (piece(in, hashCount)) {
            if (filterPos == filterTotal) {
                phase = 1;
                return filterIndex + 1 == filters;
            }
            phase = 2;
        }
        return false;
    }
}
