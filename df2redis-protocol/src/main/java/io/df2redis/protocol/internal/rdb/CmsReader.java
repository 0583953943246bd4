package io.df2redis.protocol.internal.rdb;

import io.df2redis.protocol.internal.Bytes;
import io.df2redis.protocol.rdb.ValueBatch;
import io.netty.buffer.ByteBuf;

/** CMS (35): width, depth, total count, then width*depth signed int64 LE counters. */
final class CmsReader extends ValueReader {
    CmsReader(EntryState st, Io io) {
        super(st, io);
    }

    @Override
    boolean step(ByteBuf in) {
        long w = io.length(in, "CMS width");
        long d = io.length(in, "CMS depth");
        long total = io.length(in, "CMS total count");
        if (w != 0 && d > io.options.maxElementBytes() / 8 / w) {
            throw io.limit("CMS of " + w + "x" + d + " counters exceeds the element limit");
        }
        int n = (int) (w * d);
        Bytes.need(in, (long) n * 8);
        long[] counters = new long[n];
        for (int i = 0; i < n; i++) {
            counters[i] = in.readLongLE();
        }
        state.declaredCount = n;
        state.emit(new ValueBatch.CountMinSketch(w, d, total, counters));
        return true;
    }
}
