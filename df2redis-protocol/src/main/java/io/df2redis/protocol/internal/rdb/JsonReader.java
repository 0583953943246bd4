package io.df2redis.protocol.internal.rdb;

import io.df2redis.protocol.rdb.ValueBatch;
import io.netty.buffer.ByteBuf;

/** Types 30 / 20 (RDB &lt; 10): a JSON document as text; int-encoded scalars become their decimal text. */
final class JsonReader extends ValueReader {
    JsonReader(EntryState st, Io io) {
        super(st, io);
    }

    @Override
    boolean step(ByteBuf in) {
        byte[] b = io.string(in);
        state.stringEncoding = io.lastEncoding;
        state.emit(new ValueBatch.JsonDocument(b));
        return true;
    }
}
