package io.df2redis.protocol.internal.rdb;

import io.df2redis.protocol.internal.Bytes;
import io.df2redis.protocol.rdb.ValueBatch;
import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** TOPK (36): parameters, heap items with counts, then the raw counter bytes. */
final class TopKReader extends ValueReader {
    private long options;
    private long k;
    private long width;
    private long depth;
    private double decay;
    private long heapLeft = -1;
    private final List<byte[]> items = new ArrayList<>();
    private long[] counts;

    TopKReader(EntryState st, Io io) {
        super(st, io);
    }

    @Override
    boolean step(ByteBuf in) {
        if (heapLeft < 0) {
            long o = io.length(in, "TOPK options");
            long kk = io.length(in, "TOPK k");
            long w = io.length(in, "TOPK width");
            long d = io.length(in, "TOPK depth");
            double dec = Bytes.f64le(in);
            long heap = io.length(in, "TOPK heap size");
            if (heap > kk || heap > io.options.maxElementBytes() / 16) {
                throw io.error("TOPK heap of " + heap + " items for k=" + kk);
            }
            options = o;
            k = kk;
            width = w;
            depth = d;
            decay = dec;
            heapLeft = heap;
            // grown as items arrive: the declared size alone must not reserve memory
            counts = new long[(int) Math.min(heap, 64)];
            state.declaredCount = heap;
            return false;
        }
        if (heapLeft > 0) {
            byte[] item = io.string(in);
            long count = io.length(in, "TOPK item count");
            if (items.size() == counts.length) {
                counts = java.util.Arrays.copyOf(counts, (int) Math.min((long) counts.length * 2,
                        items.size() + heapLeft));
            }
            counts[items.size()] = count;
            items.add(item);
            heapLeft--;
            return false;
        }
        long total = io.length(in, "TOPK counter bytes");
        if (total > io.options.maxElementBytes()) {
            throw io.limit("TOPK counters of " + total + " bytes exceed the element limit");
        }
        byte[] counters = Bytes.bytes(in, (int) total);
        state.emit(new ValueBatch.TopK(options, k, width, depth, decay, Collections.unmodifiableList(items),
                counts, counters));
        return true;
    }
}
