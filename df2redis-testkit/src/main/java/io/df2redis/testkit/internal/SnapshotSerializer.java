package io.df2redis.testkit.internal;

import io.df2redis.protocol.rdb.Compression;
import io.df2redis.protocol.rdb.RdbEncoder;
import io.df2redis.protocol.rdb.RdbKeyValue;
import io.df2redis.protocol.rdb.RdbRecords;
import io.df2redis.protocol.rdb.RdbType;
import io.df2redis.testkit.ReleaseProfile;
import io.df2redis.testkit.internal.Dataset.DbKey;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The full-sync serializer of one FULL flow (protocol spec §4): walks the flow's snapshot
 * (a point-in-time copy taken at {@code DFLY SYNC}) one entry or chunk per {@link #step}, buffers
 * records the way Dragonfly's serializer does (SELECTDB repeated after every flush, flush at
 * 8 KiB, at the end of each db, after FULLSYNC_END and JOURNAL_OFFSET), compresses flushes per
 * the compression mode, splits big entries at element boundaries (untagged: contiguous raw
 * writes; tagged: TAGGED_CHUNK records, up to two entries open at a time so their chunks
 * interleave), and embeds journal items as JOURNAL_BLOBs. A journal item touching a key that is
 * not serialized yet first serializes that key (old value), as Dragonfly does, so snapshot plus
 * journal stays consistent. All methods run under the master's lock.
 */
final class SnapshotSerializer implements FlowOutput.Producer {
    static final int MIN_BLOB_SIZE = 8 * 1024;
    private static final int MAX_OPEN_TAGGED = 2;

    /** Serialization settings shared by the flows of a master. */
    record Settings(ReleaseProfile profile, RdbEncoder encoder, Compression compression, int chunkSize,
                    boolean tagged) {
    }

    private final Settings settings;
    private final FlowOutput out;
    private final Object lock;
    private final LongSupplier paceBytesPerSecond;
    private final LinkedHashMap<DbKey, RdbKeyValue> pending;
    private final List<Open> open = new ArrayList<>();
    private final ByteBuf buf = Unpooled.buffer(MIN_BLOB_SIZE * 2);
    private int bufDb = -1;
    private int lastEntryDb = -1;
    private int nextId = 1;
    private boolean advanceOpenNext;
    private boolean fullSyncEndWritten;
    private boolean finished;
    /** Uncompressed snapshot bytes flushed so far (what pacing counts). */
    private long producedBytes;
    private final long startNanos = System.nanoTime();

    private static final class Open {
        final DbKey key;
        final int id;
        final Iterator<byte[]> pieces;

        Open(DbKey key, int id, Iterator<byte[]> pieces) {
            this.key = key;
            this.id = id;
            this.pieces = pieces;
        }
    }

    SnapshotSerializer(Settings settings, FlowOutput out, Object lock, LongSupplier paceBytesPerSecond,
                       LinkedHashMap<DbKey, RdbKeyValue> snapshot) {
        this.settings = settings;
        this.out = out;
        this.lock = lock;
        this.paceBytesPerSecond = paceBytesPerSecond;
        this.pending = snapshot;
    }

    /** Maps value types to what the profile's release writes (ziplist vs listpack, SBF vs SBF2). */
    static RdbKeyValue adapt(RdbKeyValue kv, ReleaseProfile profile) {
        RdbType t = kv.type();
        RdbType n = t;
        if (profile == ReleaseProfile.V1_30) {
            n = switch (t) {
                case HASH_LISTPACK -> RdbType.HASH_ZIPLIST;
                case ZSET_LISTPACK -> RdbType.ZSET_ZIPLIST;
                case SBF2 -> RdbType.SBF;
                default -> t;
            };
        } else if (profile == ReleaseProfile.V1_34) {
            n = switch (t) {
                case HASH_ZIPLIST -> RdbType.HASH_LISTPACK;
                case ZSET_ZIPLIST -> RdbType.ZSET_LISTPACK;
                case SBF2 -> RdbType.SBF; // type 34 exists from v1.35
                default -> t;
            };
        } else {
            n = switch (t) {
                case HASH_ZIPLIST -> RdbType.HASH_LISTPACK;
                case ZSET_ZIPLIST -> RdbType.ZSET_LISTPACK;
                case SBF -> RdbType.SBF2;
                default -> t;
            };
        }
        return n == t || !kv.value().supports(n) ? kv : kv.withType(n);
    }

    // ------------------------------------------------------------------ producer

    @Override
    public long delayNanos() {
        long rate = paceBytesPerSecond.getAsLong();
        if (rate <= 0 || fullSyncEndWritten) {
            return 0;
        }
        long elapsed = System.nanoTime() - startNanos;
        long allowedNanos = (long) ((producedBytes + buf.readableBytes()) * 1e9 / rate);
        return Math.max(0, allowedNanos - elapsed);
    }

    @Override
    public boolean step() {
        synchronized (lock) {
            if (finished) {
                return false;
            }
            if (!fullSyncEndWritten) {
                advance();
                return true;
            }
            if (buf.isReadable()) {
                flush(true);
                return true;
            }
            return false;
        }
    }

    /** Whether FULLSYNC_END was produced. */
    boolean snapshotDone() {
        return fullSyncEndWritten;
    }

    /** One unit of snapshot work: an entry, a tagged chunk, or the end of the snapshot. */
    private void advance() {
        boolean useOpen = !open.isEmpty() && (advanceOpenNext || pending.isEmpty() || open.size() >= MAX_OPEN_TAGGED);
        advanceOpenNext = !advanceOpenNext;
        if (useOpen) {
            Open o = open.get(0);
            open.remove(0);
            writeChunk(o);
            if (o.pieces.hasNext()) {
                open.add(o);
            }
        } else if (!pending.isEmpty()) {
            Iterator<Map.Entry<DbKey, RdbKeyValue>> it = pending.entrySet().iterator();
            Map.Entry<DbKey, RdbKeyValue> e = it.next();
            it.remove();
            startEntry(e.getKey(), e.getValue(), false);
        } else {
            flush(true);
            RdbRecords.writeFullSyncEnd(buf);
            flush(true);
            fullSyncEndWritten = true;
        }
    }

    private void startEntry(DbKey key, RdbKeyValue kv, boolean completeNow) {
        if (lastEntryDb >= 0 && key.db() != lastEntryDb && buf.isReadable()) {
            flush(true); // end of a db
        }
        lastEntryDb = key.db();
        kv = adapt(kv, settings.profile());
        int id = 0;
        if (settings.tagged()) {
            id = nextId;
            nextId = nextId == 0xFFFFFFFE ? 1 : nextId + 1;
        }
        int max = settings.chunkSize() > 0 ? settings.chunkSize() : Integer.MAX_VALUE;
        Iterator<byte[]> pieces = settings.encoder().entryPieceIterator(kv, max);
        byte[] first = pieces.next();
        selectDb(key.db());
        if (!pieces.hasNext()) {
            buf.writeBytes(first);
            if (buf.readableBytes() >= MIN_BLOB_SIZE) {
                flush(true);
            }
            return;
        }
        if (settings.tagged()) {
            RdbRecords.writeTaggedChunk(buf, id, first);
            flush(true);
            Open o = new Open(key, id, pieces);
            if (completeNow) {
                while (o.pieces.hasNext()) {
                    writeChunk(o);
                }
            } else {
                open.add(o);
            }
            return;
        }
        // untagged: the entry goes out byte-contiguous in several uncompressed writes
        buf.writeBytes(first);
        flush(false);
        while (pieces.hasNext()) {
            emit(pieces.next());
        }
    }

    /** A continuation chunk: no SELECTDB, it keeps the db of its first chunk. */
    private void writeChunk(Open o) {
        RdbRecords.writeTaggedChunk(buf, o.id, o.pieces.next());
        flush(true);
    }

    private void selectDb(int db) {
        if (bufDb != db) {
            RdbRecords.writeSelectDb(buf, db);
            bufDb = db;
        }
    }

    // ------------------------------------------------------------------ journal

    /**
     * A journal item produced while this flow is in full sync.
     *
     * @param db the item's db
     * @param keys the keys it touches (null: every key of {@code db}, or of every db if {@code allDbs})
     */
    void onJournal(byte[] item, int db, Set<ByteKey> keys, boolean allDbs) {
        if (finished) {
            return;
        }
        if (!fullSyncEndWritten) {
            serializeFirst(db, keys, allDbs);
        }
        settings.encoder().writeJournalBlob(buf, item);
        if (buf.readableBytes() >= MIN_BLOB_SIZE) {
            flush(true);
        }
        out.kick();
    }

    /** Serializes the not-yet-serialized entries a journal item touches, so they precede it. */
    private void serializeFirst(int db, Set<ByteKey> keys, boolean allDbs) {
        List<Open> done = new ArrayList<>();
        for (Open o : open) {
            if (touches(o.key, db, keys, allDbs)) {
                while (o.pieces.hasNext()) {
                    writeChunk(o);
                }
                done.add(o);
            }
        }
        open.removeAll(done);
        if (keys != null) {
            for (ByteKey k : keys) {
                DbKey dk = new DbKey(db, k);
                RdbKeyValue kv = pending.remove(dk);
                if (kv != null) {
                    startEntry(dk, kv, true);
                }
            }
        } else {
            Iterator<Map.Entry<DbKey, RdbKeyValue>> it = pending.entrySet().iterator();
            List<Map.Entry<DbKey, RdbKeyValue>> now = new ArrayList<>();
            while (it.hasNext()) {
                Map.Entry<DbKey, RdbKeyValue> e = it.next();
                if (allDbs || e.getKey().db() == db) {
                    now.add(e);
                    it.remove();
                }
            }
            for (Map.Entry<DbKey, RdbKeyValue> e : now) {
                startEntry(e.getKey(), e.getValue(), true);
            }
        }
    }

    private static boolean touches(DbKey k, int db, Set<ByteKey> keys, boolean allDbs) {
        if (keys == null) {
            return allDbs || k.db() == db;
        }
        return k.db() == db && keys.contains(k.key());
    }

    // ------------------------------------------------------------------ end

    /**
     * At {@code DFLY STARTSTABLE}: finishes the snapshot at once (pacing no longer applies), then
     * writes JOURNAL_OFFSET, EOF with zero checksum and the eof token.
     */
    void finish(long nextLsn, String eofToken) {
        while (!fullSyncEndWritten) {
            advance();
        }
        RdbRecords.writeJournalOffset(buf, nextLsn);
        flush(true);
        ByteBuf eof = Unpooled.buffer(9);
        settings.encoder().writeEof(eof);
        emit(bytes(eof));
        ByteBuf tok = Unpooled.buffer(40);
        RdbRecords.writeEofToken(tok, eofToken);
        emit(bytes(tok));
        finished = true;
        buf.release();
    }

    private void flush(boolean compressible) {
        bufDb = -1;
        if (!buf.isReadable()) {
            return;
        }
        byte[] records = bytes(buf);
        buf.clear();
        if (compressible && settings.compression() != null) {
            ByteBuf o = Unpooled.buffer(records.length + 16);
            settings.encoder().writeFlush(o, settings.compression(), records);
            producedBytes += records.length;
            out.enqueueQuiet(bytes(o));
        } else {
            emit(records);
        }
    }

    /** Sends bytes as they are; pacing counts uncompressed snapshot bytes. */
    private void emit(byte[] b) {
        producedBytes += b.length;
        out.enqueueQuiet(b);
    }

    private static byte[] bytes(ByteBuf b) {
        byte[] a = new byte[b.readableBytes()];
        b.getBytes(b.readerIndex(), a);
        return a;
    }
}
