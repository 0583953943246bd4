package io.df2redis.benchmarks;

import io.df2redis.protocol.rdb.Compression;
import io.df2redis.protocol.rdb.RdbEncoder;
import io.df2redis.protocol.rdb.RdbKeyValue;
import io.df2redis.protocol.rdb.RdbRecords;
import io.df2redis.protocol.rdb.RdbType;
import io.df2redis.protocol.rdb.RdbValue;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Iterator;

/**
 * Writes one flow of a {@link SyntheticDataset} as a Dragonfly v1.40 master does (spec §4): the
 * {@code REDIS0009} header and AUX fields, records buffered and flushed at 8 KiB with SELECTDB
 * repeated after every flush, each flush an LZ4 blob when that saves 5 % (as {@code writeFlush}),
 * a big list cut at element boundaries into 64 KiB TAGGED_CHUNK records, then FULLSYNC_END; at
 * STARTSTABLE, JOURNAL_OFFSET, EOF with a zero checksum and the eof token. Everything is produced
 * as it is written: memory is one flush, whatever the dataset's size.
 */
final class SyntheticFlowWriter {
    private static final int FLUSH_BYTES = 8 * 1024;
    private static final int CHUNK_BYTES = 64 * 1024;
    private static final int LIST_CHUNK_ID = 1;

    private final SyntheticDataset ds;
    private final int flow;
    private final OutputStream out;
    private final RdbEncoder enc = RdbEncoder.dragonfly();
    private final ByteBuf buf = Unpooled.buffer(FLUSH_BYTES * 2);
    private boolean selected;
    private long bytesWritten;

    SyntheticFlowWriter(SyntheticDataset ds, int flow, OutputStream out) {
        this.ds = ds;
        this.flow = flow;
        this.out = out;
    }

    /** Bytes written to the stream so far. */
    long bytesWritten() {
        return bytesWritten;
    }

    /** The snapshot of this flow up to and including FULLSYNC_END. */
    void writeSnapshot() throws IOException {
        enc.writeHeader(buf);
        enc.writeAux(buf, "redis-ver", "6.2.11");
        enc.writeAux(buf, "df-ver", "df-v1.40.1");
        enc.writeAux(buf, "redis-bits", "64");
        enc.writeAux(buf, "aof-preamble", "0");
        enc.writeAux(buf, "shard-count", Integer.toString(ds.flows()));
        enc.writeAux(buf, "shard-id", Integer.toString(flow));
        flush(false);
        boolean listDone = ds.listElements() == 0 || flow != 0;
        long half = ds.keys() / 2;
        for (long j = flow; j < ds.keys(); j += ds.flows()) {
            if (!listDone && j >= half) { // the list in the middle of the strings
                writeList();
                listDone = true;
            }
            selectDb();
            buf.writeByte(RdbType.STRING.code());
            RdbRecords.writeRawString(buf, SyntheticDataset.key(j));
            RdbRecords.writeRawString(buf, ds.value(j));
            if (buf.readableBytes() >= FLUSH_BYTES) {
                flush(true);
            }
        }
        if (!listDone) {
            writeList();
        }
        flush(true);
        RdbRecords.writeFullSyncEnd(buf);
        flush(true);
        out.flush();
    }

    /** What follows the snapshot once the replica sent STARTSTABLE; no journal entries. */
    void writeStableStart(String eofToken) throws IOException {
        RdbRecords.writeJournalOffset(buf, 1);
        flush(true);
        enc.writeEof(buf);
        RdbRecords.writeEofToken(buf, eofToken);
        flush(false);
        out.flush();
    }

    private void writeList() throws IOException {
        flush(true);
        RdbKeyValue kv = RdbKeyValue.of(SyntheticDataset.LIST_KEY, RdbValue.list(ds.listView()));
        Iterator<byte[]> pieces = enc.entryPieceIterator(kv, CHUNK_BYTES);
        boolean first = true;
        while (pieces.hasNext()) {
            if (first) {
                selectDb();
                first = false;
            }
            RdbRecords.writeTaggedChunk(buf, LIST_CHUNK_ID, pieces.next());
            flush(true);
        }
    }

    private void selectDb() {
        if (!selected) {
            RdbRecords.writeSelectDb(buf, 0);
            selected = true;
        }
    }

    private void flush(boolean compressible) throws IOException {
        selected = false;
        if (!buf.isReadable()) {
            return;
        }
        byte[] records = new byte[buf.readableBytes()];
        buf.readBytes(records);
        buf.clear();
        if (compressible && ds.lz4()) {
            ByteBuf o = Unpooled.buffer(records.length + 16);
            enc.writeFlush(o, Compression.LZ4, records);
            bytesWritten += o.readableBytes();
            o.readBytes(out, o.readableBytes());
        } else {
            bytesWritten += records.length;
            out.write(records);
        }
    }
}
