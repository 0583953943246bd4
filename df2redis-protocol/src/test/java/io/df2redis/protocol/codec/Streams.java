package io.df2redis.protocol.codec;

import io.df2redis.protocol.journal.JournalEncoder;
import io.df2redis.protocol.journal.JournalEntry;
import io.df2redis.protocol.journal.JournalOp;
import io.df2redis.protocol.rdb.Compression;
import io.df2redis.protocol.rdb.ModuleIds;
import io.df2redis.protocol.rdb.RdbEncoder;
import io.df2redis.protocol.rdb.RdbKeyValue;
import io.df2redis.protocol.rdb.RdbOpcodes;
import io.df2redis.protocol.rdb.RdbRecords;
import io.df2redis.protocol.rdb.RdbType;
import io.df2redis.protocol.rdb.RdbValue;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds random but valid encoded streams together with what they must decode to: entries
 * (the model), journal entries (with their LSNs in a flow's stable part), AUX fields, the
 * JOURNAL_OFFSET and the eof token.
 */
final class Streams {
    /** Types that Dragonfly splits at element boundaries (spec §4.4). */
    static final Set<RdbType> SPLITTABLE = EnumSet.of(RdbType.LIST, RdbType.LIST_QUICKLIST,
            RdbType.LIST_QUICKLIST_2, RdbType.SET, RdbType.SET_WITH_EXPIRY, RdbType.HASH, RdbType.HASH_WITH_EXPIRY,
            RdbType.HASH_METADATA, RdbType.ZSET, RdbType.ZSET_2, RdbType.STREAM_LISTPACKS,
            RdbType.STREAM_LISTPACKS_2, RdbType.STREAM_LISTPACKS_3, RdbType.SBF, RdbType.SBF2, RdbType.CUCKOO);

    /** An encoded stream and its expected decoding. */
    static final class Built {
        byte[] bytes;
        boolean flow;
        int rdbVersion;
        final Map<String, Model.Entry> expected = new LinkedHashMap<>();
        /** Expected AUX / RESIZEDB / SLOT_INFO / FUNCTION2 / MODULE_AUX records, as {@link Recorder#records}. */
        final List<String> records = new ArrayList<>();
        /** Expected IDLE / FREQ prefixes, as {@link Recorder#prefixes}. */
        final Map<String, String> prefixes = new LinkedHashMap<>();
        /** Expected journal entries rendered by {@link #render(JournalEntry)} (offsets excluded). */
        final List<String> journal = new ArrayList<>();
        long journalOffset = -1;
        byte[] token;
        long checksum;
        int fullSyncEnds;
        int taggedEntries;
    }

    private final Gen g;
    private final RdbEncoder enc;
    private final Built b = new Built();
    private final ByteBuf out = Unpooled.buffer();
    /** Records of the current flush, compressed or not when flushed. */
    private ByteBuf flush = Unpooled.buffer();
    private int db;
    private int journalDb;
    private int keySeq;
    private int nextTag = 1;

    private Streams(Gen g, boolean flow, int rdbVersion) {
        this.g = g;
        this.enc = g.encoder(rdbVersion);
        b.flow = flow;
        b.rdbVersion = rdbVersion;
    }

    static String render(JournalEntry e) {
        StringBuilder sb = new StringBuilder().append(e.op()).append(" db=").append(e.db()).append(" tx=")
                .append(e.txid()).append(" sh=").append(e.shardCount()).append(" lsn=").append(e.lsn()).append(" m=")
                .append(e.lsnMatches());
        for (byte[] a : e.args()) {
            sb.append(' ').append(Bin.text(a, 32));
        }
        return sb.toString();
    }

    private static String render(JournalOp op, int db, long tx, long sh, List<byte[]> args, long lsn, boolean m) {
        StringBuilder sb = new StringBuilder().append(op).append(" db=").append(db).append(" tx=").append(tx)
                .append(" sh=").append(sh).append(" lsn=").append(lsn).append(" m=").append(m);
        for (byte[] a : args) {
            sb.append(' ').append(Bin.text(a, 32));
        }
        return sb.toString();
    }

    /**
     * A random stream: header, AUX, entries of random types (some tagged and interleaved), journal
     * blobs, SELECTDBs, compressed blobs; then for a flow FULLSYNC_END, JOURNAL_OFFSET, EOF, the
     * token and a journal stream with LSN records, for a file EOF with its CRC-64.
     */
    static Built mixed(Gen g, boolean flow) {
        int version = flow ? 9 : g.chance(70) ? 9 : g.between(5, 12);
        Streams s = new Streams(g, flow, version);
        s.body(g.between(0, 20), g.chance(40));
        return s.finish();
    }

    /** A stream dominated by two big entries whose TAGGED_CHUNKs alternate with other records. */
    static Built interleaved(Gen g, boolean flow) {
        Streams s = new Streams(g, flow, 9);
        s.header();
        s.interleave(g.between(48, 2048));
        s.body(g.between(0, 5), false);
        return s.finish();
    }

    private void header() {
        enc.writeHeader(out);
        aux("redis-ver", "6.2.11");
        aux("redis-bits", "64");
        aux("ctime", Long.toString(1700000000L + g.r.nextInt(1000000)));
        if (g.chance(30)) {
            aux("lua", "return redis.call('GET', KEYS[1]) -- " + g.word(g.between(0, 200)));
        }
        if (!b.flow && g.chance(50)) {
            long a = g.r.nextInt(100000);
            long e = g.r.nextInt(1000);
            RdbRecords.writeResizeDb(out, a, e);
            b.records.add("resize " + a + " " + e);
            long slot = g.r.nextInt(16384);
            long size = g.r.nextInt(1000);
            long exp = g.r.nextInt(100);
            RdbRecords.writeSlotInfo(out, slot, size, exp);
            b.records.add("slot " + slot + " " + size + " " + exp);
            byte[] code = Gen.ascii("#!lua name=lib" + g.r.nextInt(100) + "\nredis.register_function('f', "
                    + "function() return 1 end)");
            enc.writeFunction(out, code);
            b.records.add("function " + Bin.hex(code));
            long id = ModuleIds.moduleId("MBbloom--", 2);
            long when = g.r.nextInt(3);
            RdbRecords.writeModuleAux(out, id, when,
                    RdbValue.ModuleValue.opcodes().unsigned(g.r.nextInt(100)).string(Gen.ascii("aux")).build());
            b.records.add("moduleaux " + id + " MBbloom-- 2 " + when);
        }
        RdbRecords.writeSelectDb(out, 0);
    }

    private void aux(String k, String v) {
        enc.writeAux(out, k, v);
        b.records.add("aux " + Bin.hex(Gen.ascii(k)) + "=" + Bin.hex(Gen.ascii(v)));
    }

    private void body(int entries, boolean withTagged) {
        if (out.writerIndex() == 0) {
            header();
        }
        for (int i = 0; i < entries; i++) {
            int action = g.r.nextInt(10);
            if (action == 0) {
                db = g.r.nextInt(16);
                RdbRecords.writeSelectDb(flush, db);
            } else if (action == 1) {
                journalBlob();
            } else if (action == 2) {
                flushNow();
            } else if (action == 3 && withTagged) {
                taggedEntry();
            } else {
                entry(flush);
            }
        }
        flushNow();
    }

    private byte[] key() {
        return (keySeq++ + ":").concat(new String(g.key(), StandardCharsets.ISO_8859_1))
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    private RdbKeyValue randomKeyValue(RdbType type) {
        return g.keyValue(key(), type);
    }

    private void entry(ByteBuf into) {
        RdbKeyValue kv = randomKeyValue(g.type(b.rdbVersion));
        if (!b.flow && g.chance(10)) {
            int idle = g.r.nextInt(100000);
            int freq = g.r.nextInt(256);
            RdbRecords.writeIdle(into, idle);
            RdbRecords.writeFreq(into, freq);
            b.prefixes.put(db + "/" + Bin.hex(kv.key()), idle + "/" + freq);
        }
        if (!b.flow && kv.expireAtMs() < 0 && g.chance(5)) {
            int sec = g.r.nextInt(Integer.MAX_VALUE);
            RdbRecords.writeExpireTimeSeconds(into, sec);
            kv = kv.withExpireAtMs(sec * 1000L);
            // the EXPIRETIME record is already written: write the entry without its own prefix
            ByteBuf tmp = Unpooled.buffer();
            enc.writeEntry(tmp, kv.withExpireAtMs(-1));
            into.writeBytes(tmp);
        } else {
            enc.writeEntry(into, kv);
        }
        expect(db, kv);
    }

    private void expect(int entryDb, RdbKeyValue kv) {
        Model.Entry e = Model.expected(entryDb, kv);
        b.expected.put(entryDb + "/" + Bin.hex(kv.key()), e);
    }

    private void taggedEntry() {
        RdbType type = pick(SPLITTABLE);
        int savedScale = g.scale;
        g.scale = 4;
        RdbKeyValue kv = randomKeyValue(type);
        g.scale = savedScale;
        int id = nextTag++;
        List<byte[]> pieces = enc.entryPieces(kv, g.between(32, 1024));
        for (byte[] p : pieces) {
            RdbRecords.writeTaggedChunk(flush, id, p);
            if (g.chance(50)) {
                flushNow();
            }
        }
        b.taggedEntries++;
        expect(db, kv);
    }

    private RdbType pick(Set<RdbType> types) {
        RdbType[] a = types.toArray(new RdbType[0]);
        return a[g.r.nextInt(a.length)];
    }

    private void journalBlob() {
        Gen.JItem it = g.journalItem(g.r.nextInt(4));
        enc.writeJournalBlob(flush, it.bytes());
        expectJournal(it, 0);
    }

    private void expectJournal(Gen.JItem it, long lsn) {
        if (it.op() != JournalOp.PING) {
            journalDb = it.db();
            b.journal.add(render(JournalOp.SELECT, journalDb, 0, 0, List.of(), 0, false));
        }
        boolean cmd = it.op().hasCommand();
        b.journal.add(render(it.op(), journalDb, it.txid(), it.op() == JournalOp.PING ? 0 : it.shards(),
                cmd ? it.args() : List.of(), lsn, false));
    }

    /** Writes the pending flush: raw, LZ4 or ZSTD blob, or Dragonfly's size/ratio rule. */
    private void flushNow() {
        if (!flush.isReadable()) {
            return;
        }
        byte[] rec = new byte[flush.readableBytes()];
        flush.readBytes(rec);
        flush = Unpooled.buffer();
        switch (g.r.nextInt(4)) {
            case 0:
                out.writeBytes(rec);
                break;
            case 1:
                enc.writeCompressedBlob(out, Compression.LZ4, rec);
                break;
            case 2:
                enc.writeCompressedBlob(out, Compression.ZSTD, rec);
                break;
            default:
                enc.writeFlush(out, g.chance(50) ? Compression.LZ4 : Compression.ZSTD, rec);
        }
    }

    /** Two big entries as tagged chunks, alternating, with other records between them. */
    private void interleave(int maxChunk) {
        g.scale = 8;
        int idA = g.chance(30) ? -2 : g.between(1, 1000); // -2 = 0xFFFFFFFE, the last id before wrapping
        int idB = idA == 1000 ? 999 : idA + 1 + (g.chance(50) ? 0 : 5000);
        RdbKeyValue a = randomKeyValue(pick(SPLITTABLE));
        RdbKeyValue bb = randomKeyValue(pick(SPLITTABLE));
        g.scale = 1;
        int dbA = db;
        List<byte[]> pa = enc.entryPieces(a, maxChunk);
        int dbB = g.r.nextInt(16);
        List<byte[]> pb = enc.entryPieces(bb, maxChunk);
        int ia = 0;
        int ib = 0;
        boolean bStarted = false;
        while (ia < pa.size() || ib < pb.size()) {
            if (ia < pa.size()) {
                RdbRecords.writeTaggedChunk(flush, idA, pa.get(ia++));
            }
            if (!bStarted) {
                RdbRecords.writeSelectDb(flush, dbB);
                db = dbB;
                bStarted = true;
            }
            if (ib < pb.size()) {
                RdbRecords.writeTaggedChunk(flush, idB, pb.get(ib++));
            }
            switch (g.r.nextInt(6)) {
                case 0:
                    entry(flush);
                    break;
                case 1:
                    journalBlob();
                    break;
                case 2:
                    db = g.r.nextInt(16);
                    RdbRecords.writeSelectDb(flush, db);
                    break;
                case 3:
                    flushNow();
                    break;
                default:
                    break;
            }
            if (g.chance(50)) {
                flushNow();
            }
        }
        flushNow();
        b.taggedEntries += 2;
        expect(dbA, a);
        expect(dbB, bb);
        // the ids are free again: reuse one for a third entry
        RdbKeyValue c = randomKeyValue(pick(SPLITTABLE));
        for (byte[] p : enc.entryPieces(c, maxChunk)) {
            RdbRecords.writeTaggedChunk(out, idA, p);
        }
        expect(db, c);
        b.taggedEntries++;
    }

    private Built finish() {
        if (b.flow) {
            if (g.chance(50)) {
                RdbRecords.writeFullSyncEnd(flush);
            } else {
                flushNow();
                RdbRecords.writeFullSyncEnd(out);
            }
            b.fullSyncEnds = 1;
            int more = g.r.nextInt(4);
            for (int i = 0; i < more; i++) {
                journalBlob();
            }
            b.journalOffset = 1 + (g.chance(50) ? g.r.nextInt(100) : Math.abs(g.r.nextLong() >> 8));
            RdbRecords.writeJournalOffset(flush, b.journalOffset);
            flushNow();
            enc.writeEof(out);
            b.token = new byte[RdbEncoder.EOF_TOKEN_LENGTH];
            for (int i = 0; i < b.token.length; i++) {
                b.token[i] = (byte) "0123456789abcdef".charAt(g.r.nextInt(16));
            }
            RdbRecords.writeEofToken(out, b.token);
            // the stable-sync journal: items with LSNs from JOURNAL_OFFSET, LSN records in between
            long lsn = b.journalOffset;
            int n = g.r.nextInt(15);
            for (int i = 0; i < n; i++) {
                Gen.JItem it = g.journalItem(g.r.nextInt(4));
                out.writeBytes(it.bytes());
                expectJournal(it, lsn++);
                if (g.chance(30)) {
                    boolean right = g.chance(80);
                    long announced = right ? lsn - 1 : lsn + 7;
                    JournalEncoder.writeLsn(out, announced);
                    b.journal.add(render(JournalOp.LSN, journalDb, 0, 0, List.of(), announced, right));
                }
            }
        } else {
            flushNow();
            b.checksum = enc.writeFileEof(out, 0);
        }
        b.bytes = new byte[out.readableBytes()];
        out.getBytes(0, b.bytes);
        return b;
    }
}
