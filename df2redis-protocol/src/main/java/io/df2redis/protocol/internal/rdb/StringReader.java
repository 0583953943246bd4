package io.df2redis.protocol.internal.rdb;

import io.df2redis.protocol.internal.Bytes;
import io.df2redis.protocol.rdb.StringEncoding;
import io.df2redis.protocol.rdb.ValueBatch;
import io.netty.buffer.ByteBuf;

/** Type 0: a string, streamed in fixed-size chunks when longer than the chunk size. */
final class StringReader extends ValueReader {
    private long total = -1;
    private long position;

    StringReader(EntryState st, Io io) {
        super(st, io);
    }

    /** Ready for the next string of the same {@link RecordReader} (whose one state it shares). */
    StringReader reset() {
        total = -1;
        position = 0;
        return this;
    }

    @Override
    boolean step(ByteBuf in) {
        if (total < 0) {
            long plain = io.plainStringLength(in);
            if (plain > io.options.stringChunkBytes()) {
                total = plain;
                state.stringEncoding = StringEncoding.RAW;
                return false;
            }
            if (plain >= 0) {
                byte[] b = Bytes.bytes(in, (int) plain);
                state.stringEncoding = StringEncoding.RAW;
                state.emit(new ValueBatch.StringChunk(b, 0, b.length));
                return true;
            }
            byte[] b = io.string(in);
            state.stringEncoding = io.lastEncoding;
            state.emit(new ValueBatch.StringChunk(b, 0, b.length));
            return true;
        }
        int n = (int) Math.min(total - position, io.options.stringChunkBytes());
        byte[] b = Bytes.bytes(in, n);
        state.emit(new ValueBatch.StringChunk(b, position, total));
        position += n;
        return position == total;
    }
}
