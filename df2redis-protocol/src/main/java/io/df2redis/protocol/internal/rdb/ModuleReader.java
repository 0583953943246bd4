package io.df2redis.protocol.internal.rdb;

import io.df2redis.protocol.rdb.ModuleIds;
import io.df2redis.protocol.rdb.RdbValue;
import io.df2redis.protocol.rdb.ValueBatch;
import io.netty.buffer.ByteBuf;

import java.io.ByteArrayOutputStream;

/** RDB type 7: a module value walked field by field through its opcodes, kept opaque. */
final class ModuleReader extends ValueReader {
    private long moduleId;
    private boolean idRead;
    private final ByteArrayOutputStream raw = new ByteArrayOutputStream();

    ModuleReader(EntryState st, Io io) {
        super(st, io);
    }

    @Override
    boolean step(ByteBuf in) {
        int start = in.readerIndex();
        if (!idRead) {
            moduleId = io.u64(in, "module id");
            idRead = true;
            return false;
        }
        if (!ModuleFields.skipField(in, io, "module value")) {
            state.emit(new ValueBatch.ModuleValue(moduleId, ModuleIds.moduleName(moduleId),
                    ModuleIds.encodingVersion(moduleId), raw.toByteArray()));
            return true;
        }
        int len = in.readerIndex() - start;
        if (raw.size() + len > io.options.maxElementBytes()) {
            throw io.limit("module value exceeds the element limit " + io.options.maxElementBytes());
        }
        byte[] b = new byte[len];
        in.getBytes(start, b);
        raw.write(b, 0, len);
        return false;
    }
}
