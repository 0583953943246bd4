package io.df2redis.protocol.internal.rdb;

import io.df2redis.protocol.LimitExceededException;
import io.df2redis.protocol.internal.Bytes;
import io.df2redis.protocol.internal.NeedMoreInput;
import io.df2redis.protocol.rdb.RdbDecoderOptions;
import io.df2redis.protocol.rdb.RdbEntry;
import io.df2redis.protocol.rdb.RdbHandler;
import io.df2redis.protocol.rdb.RdbOpcodes;
import io.df2redis.protocol.rdb.RdbType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The entries that arrive in TAGGED_CHUNK records (spec §4.4): Dragonfly interleaves the chunks
 * of big entries, each chunk tagged with its entry's stream id. Keeps, per open id, the entry's
 * value reader and the bytes of an element split across two chunks, so that each chunk is
 * decoded as it arrives and memory holds at most one unit per open entry.
 *
 * <p>Confined to the thread that feeds the decoder, like the {@link RdbEngine} that owns it.
 */
final class TaggedChunks {
    private final RdbEngine engine;
    private final Io io;
    private final RdbHandler handler;
    private final RdbDecoderOptions options;
    private final Map<Integer, Tagged> open = new HashMap<>();

    TaggedChunks(RdbEngine engine) {
        this.engine = engine;
        this.io = engine.io;
        this.handler = engine.handler;
        this.options = engine.options;
    }

    /** Number of entries waiting for more chunks. */
    int openCount() {
        return open.size();
    }

    /** Stream ids of the entries waiting for more chunks. */
    Set<Integer> openIds() {
        return open.keySet();
    }

    /**
     * Reads one TAGGED_CHUNK record (its opcode already consumed): appends the payload to what
     * is left of the entry's earlier chunks and decodes as many units of the entry as it
     * completes; the entry ends with the chunk that completes its value.
     */
    void read(ByteBuf in, long recOff) {
        long id = Bytes.u32le(in);
        long len = Bytes.u32le(in);
        if (id == 0) {
            throw io.error("TAGGED_CHUNK with stream id 0");
        }
        if (len == 0) {
            throw io.error("TAGGED_CHUNK with empty payload");
        }
        if (len > options.maxBlobBytes()) {
            throw new LimitExceededException("TAGGED_CHUNK of " + len + " bytes exceeds the limit "
                    + options.maxBlobBytes(), io.unitOffset, "TAGGED_CHUNK");
        }
        Bytes.need(in, len);
        byte[] payload = new byte[(int) len];
        in.readBytes(payload);
        int key = (int) id;
        Tagged t = open.get(key);
        boolean first = t == null;
        if (first) {
            t = new Tagged();
            open.put(key, t);
        }
        t.chunks++;
        engine.recordOffset = recOff;
        handler.onTaggedChunkStart(key, (int) len, first);
        byte[] data = payload;
        if (t.leftover.length > 0) {
            data = new byte[t.leftover.length + payload.length];
            System.arraycopy(t.leftover, 0, data, 0, t.leftover.length);
            System.arraycopy(payload, 0, data, t.leftover.length, payload.length);
        }
        ByteBuf buf = Unpooled.wrappedBuffer(data);
        boolean complete = false;
        while (buf.isReadable()) {
            int mark = buf.readerIndex();
            try {
                if (t.reader == null) {
                    header(buf, t, key, recOff);
                } else {
                    if (t.state != null) {
                        io.context(t.state, key);
                    }
                    if (t.reader.step(buf)) {
                        complete = true;
                        if (buf.isReadable()) {
                            throw io.error("TAGGED_CHUNK " + key + " holds " + buf.readableBytes()
                                    + " bytes after its entry completed");
                        }
                    }
                }
            } catch (NeedMoreInput e) {
                buf.readerIndex(mark);
                break;
            }
        }
        byte[] rest = new byte[buf.readableBytes()];
        buf.readBytes(rest);
        t.leftover = rest;
        if (t.state != null) {
            t.state.chunks = t.chunks;
        }
        engine.recordOffset = recOff;
        handler.onTaggedChunkEnd(key, t.state == null ? null : t.state.entry, complete);
        if (complete) {
            open.remove(key);
            handler.onEntryEnd(t.state.entry, t.state.summary());
        }
    }

    private void header(ByteBuf buf, Tagged t, int id, long recOff) {
        long expire = -1;
        int mask = 0;
        long mc = 0;
        int op = Bytes.u8(buf);
        while (op == RdbOpcodes.EXPIRETIME_MS || op == RdbOpcodes.DF_MASK || op == RdbOpcodes.EXPIRETIME) {
            if (op == RdbOpcodes.EXPIRETIME_MS) {
                expire = Bytes.i64le(buf);
            } else if (op == RdbOpcodes.EXPIRETIME) {
                expire = Bytes.i32le(buf) * 1000L;
            } else {
                mask = (int) Bytes.u32le(buf);
                if ((mask & RdbEntry.DF_MASK_MC_FLAGS) != 0) {
                    mc = Bytes.u32le(buf);
                }
            }
            op = Bytes.u8(buf);
        }
        RdbType type = RdbType.of(op, engine.rdbVersion());
        if (type == null) {
            throw io.error("TAGGED_CHUNK " + id + " does not start with an entry (byte 0x"
                    + Integer.toHexString(op) + ")");
        }
        byte[] key = io.string(buf);
        RdbEntry entry = new RdbEntry(recOff, engine.db, key, type, expire, mask, mc, -1, -1, io.lastEncoding, id);
        EntryState st = new EntryState(entry, handler);
        io.context(st, id);
        ValueReader r = ValueReaders.create(type, st, io);
        t.state = st;
        t.reader = r;
        handler.onEntryStart(entry);
    }

    /** A tagged entry waiting for its next chunk. */
    private static final class Tagged {
        ValueReader reader;
        EntryState state;
        byte[] leftover = new byte[0];
        int chunks;
    }
}
