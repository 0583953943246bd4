package io.df2redis.protocol.internal.rdb;

import io.df2redis.protocol.internal.CompactReader;
import io.df2redis.protocol.internal.CorruptValueException;
import io.df2redis.protocol.rdb.RdbType;
import io.df2redis.protocol.rdb.StringEncoding;
import io.netty.buffer.ByteBuf;

/** Types 14 (ziplist nodes) and 18 (PLAIN / PACKED listpack nodes). */
final class QuicklistReader extends ValueReader {
    private final RdbType type;
    private final Batcher batcher;
    private long remaining = -1;

    QuicklistReader(RdbType type, EntryState st, Io io) {
        super(st, io);
        this.type = type;
        this.batcher = ValueReaders.batcher(Batcher.Kind.LIST, st, io);
    }

    @Override
    boolean step(ByteBuf in) {
        if (remaining < 0) {
            remaining = io.length(in, "quicklist node count");
            state.nodes = remaining;
            return done();
        }
        long container = 2;
        if (type == RdbType.LIST_QUICKLIST_2) {
            container = io.length(in, "quicklist node container");
            if (container != 1 && container != 2) {
                throw io.error("invalid quicklist node container " + container);
            }
        }
        if (container == 1) {
            byte[] node = io.string(in);
            if (io.lastEncoding == StringEncoding.LZF) {
                state.lzfNodes++;
            }
            state.plainNodes++;
            batcher.add(node);
        } else {
            io.stringView(in); // parsed here, elements copied out: no array of its own
            if (io.lastEncoding == StringEncoding.LZF) {
                state.lzfNodes++;
            }
            if (type == RdbType.LIST_QUICKLIST_2) {
                state.packedNodes++;
            }
            try {
                byte[] b = io.viewArray;
                CompactReader r = type == RdbType.LIST_QUICKLIST ? CompactReader.ziplist(b, io.viewOffset, io.viewLength)
                        : CompactReader.listpack(b, io.viewOffset, io.viewLength);
                int n = 0;
                while (r.next()) {
                    batcher.add(r.bytes());
                    n++;
                }
                if (n == 0) {
                    throw io.error("empty quicklist node");
                }
            } catch (CorruptValueException e) {
                throw io.error("corrupt quicklist node: " + e.getMessage());
            }
        }
        remaining--;
        return done();
    }

    private boolean done() {
        if (remaining == 0) {
            batcher.flush();
            return true;
        }
        return false;
    }
}
