package io.df2redis.tools.inspect;

import io.df2redis.protocol.journal.JournalEntry;
import io.df2redis.protocol.journal.JournalOp;
import io.df2redis.protocol.rdb.Compression;
import io.df2redis.protocol.rdb.EntrySummary;
import io.df2redis.protocol.rdb.RdbDecoder;
import io.df2redis.protocol.rdb.RdbEntry;
import io.df2redis.protocol.rdb.RdbHandler;
import io.df2redis.protocol.rdb.StringEncoding;
import io.df2redis.protocol.rdb.ValueBatch;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records what a decoder reads from one replication flow (or RDB file) as a list of records in
 * the shape of the test vectors' {@code decoded.json} (vectors README §3): one map per
 * top-level record, compressed blobs with their inner records, journal blobs with their
 * entries, and the journal after the eof token. Used by {@code df2redis inspect --flow} and by
 * the golden-vector tests. Values larger than the cap are reported as {@code value_omitted}.
 */
public final class FlowRecorder implements RdbHandler {
    private final long valueCap;
    private final boolean sortSets;
    private RdbDecoder decoder;
    private String expectedToken;
    private final List<Map<String, Object>> records = new ArrayList<>();
    private final Deque<List<Map<String, Object>>> stack = new ArrayDeque<>();
    private final Map<RdbEntry, ValueCollector> open = new IdentityHashMap<>();
    private final Map<String, Long> stats = new LinkedHashMap<>();
    private Map<String, Object> journalBlob;
    private Map<String, Object> chunk;
    private long chunkOffset = -1;
    private boolean fullSyncEndSeen;
    private boolean eofSeen;
    private long journalOffset = -1;
    private long journalStart = -1;

    /**
     * @param valueCap approximate JSON size above which an entry's value is omitted
     * @param sortSets whether set members and zset members are sorted (canonical form) instead
     *                 of kept in stream order
     */
    public FlowRecorder(long valueCap, boolean sortSets) {
        this.valueCap = valueCap;
        this.sortSets = sortSets;
        for (String s : new String[] {"entries", "journal_blobs", "lz4_blobs", "zstd_blobs", "tagged_chunks",
            "tagged_entries", "journal_entries", "lsn_records", "selectdb"}) {
            stats.put(s, 0L);
        }
        stack.push(records);
    }

    /**
     * Binds the decoder whose record offsets are reported.
     *
     * @param decoder the decoder this recorder is the handler of
     * @return this recorder
     */
    public FlowRecorder attach(RdbDecoder decoder) {
        this.decoder = decoder;
        return this;
    }

    /**
     * The eof token of the FLOW reply, to report {@code matches_flow_reply}.
     *
     * @param token the token as the {@code DFLY FLOW} reply gave it
     * @return this recorder
     */
    public FlowRecorder expectToken(String token) {
        this.expectedToken = token;
        return this;
    }

    /**
     * The records so far, in stream order.
     *
     * @return the live list of records (one map per record, as in {@code decoded.json})
     */
    public List<Map<String, Object>> records() {
        return records;
    }

    /**
     * The flow-level summary in the decoded.json shape (without {@code flow} and {@code file}).
     *
     * @param bytes the flow's length in bytes
     * @return the summary: offsets, what was seen, counters
     */
    public Map<String, Object> summary(long bytes) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bytes", bytes);
        m.put("journal_start_offset", journalStart);
        m.put("fullsync_end_seen", fullSyncEndSeen);
        m.put("journal_offset", journalOffset < 0 ? null : journalOffset);
        m.put("eof_seen", eofSeen);
        long next = decoder != null ? decoder.journalDecoder().nextLsn() : 0;
        m.put("next_lsn_after_stream", journalOffset < 0 ? null : next);
        m.put("stats", stats);
        m.put("problems", List.of());
        m.put("records", records);
        return m;
    }

    private long off() {
        return decoder == null ? -1 : decoder.recordOffset();
    }

    private Map<String, Object> rec(String op) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("off", off());
        m.put("op", op);
        stack.peek().add(m);
        return m;
    }

    private void count(String stat) {
        stats.merge(stat, 1L, Long::sum);
    }

    @Override
    public void onHeader(int rdbVersion) {
        rec("MAGIC").put("text", String.format("REDIS%04d", rdbVersion));
    }

    @Override
    public void onAux(byte[] key, byte[] value) {
        Map<String, Object> m = rec("AUX");
        m.put("key", new String(key, StandardCharsets.UTF_8));
        m.put("value", JsonShapes.bytes(value));
    }

    @Override
    public void onSelectDb(int db) {
        rec("SELECTDB").put("db", db);
        count("selectdb");
    }

    @Override
    public void onResizeDb(long dbSize, long expiresSize) {
        Map<String, Object> m = rec("RESIZEDB");
        m.put("db_size", dbSize);
        m.put("expires_size", expiresSize);
    }

    @Override
    public void onFunction(byte[] code) {
        rec("FUNCTION").put("code", JsonShapes.bytes(code));
    }

    @Override
    public void onEntryStart(RdbEntry entry) {
        open.put(entry, new ValueCollector(entry, valueCap));
    }

    @Override
    public void onValueBatch(RdbEntry entry, ValueBatch batch) {
        open.get(entry).add(batch);
    }

    @Override
    public void onEntryEnd(RdbEntry entry, EntrySummary summary) {
        ValueCollector v = open.remove(entry);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("off", entry.taggedId() != 0 ? chunkOffset : entry.offset());
        m.put("op", "ENTRY");
        m.put("db", entry.db());
        m.put("key", JsonShapes.key(entry.key()));
        m.put("type", entry.type().code());
        m.put("type_name", entry.type().name().equals("JSON_OLD") ? "JSON" : entry.type().name());
        Object value = v.value(sortSets);
        m.put("count", count(entry, summary, v, value));
        if (entry.keyEncoding() != StringEncoding.RAW) {
            m.put("key_enc", entry.keyEncoding().label());
        }
        if (entry.hasExpiry()) {
            m.put("expire_at_ms", entry.expireAtMs());
        }
        if (entry.dfMask() != 0) {
            m.put("df_mask", entry.dfMask());
        }
        if (entry.hasMcFlags()) {
            m.put("mc_flags", entry.mcFlags());
        }
        if (entry.taggedId() != 0) {
            m.put("tagged", Map.of("id", entry.taggedId(), "chunks", summary.chunks()));
            count("tagged_entries");
        }
        Map<String, Object> detail = detail(entry, summary, v);
        if (!detail.isEmpty()) {
            m.put("detail", detail);
        }
        if (v.omitted()) {
            m.put("value_omitted", true);
        } else {
            m.put("value", value);
        }
        stack.peek().add(m);
        count("entries");
    }

    private static long count(RdbEntry e, EntrySummary s, ValueCollector v, Object value) {
        switch (e.type().logicalType()) {
            case STREAM:
                return s.declaredCount();
            case BLOOM:
            case CUCKOO:
            case CMS:
            case TOPK:
                return s.declaredCount();
            default:
                return v.elements;
        }
    }

    private static Map<String, Object> detail(RdbEntry e, EntrySummary s, ValueCollector v) {
        Map<String, Object> d = new LinkedHashMap<>();
        switch (e.type()) {
            case STRING:
                d.put("enc", s.stringEncoding().label());
                break;
            case JSON:
            case JSON_OLD:
                d.put("text_len", v.elements);
                break;
            case LIST_QUICKLIST:
            case LIST_QUICKLIST_2:
                d.put("nodes", s.nodes());
                d.put("plain_nodes", s.plainNodes());
                d.put("packed_nodes", s.packedNodes());
                d.put("lzf_nodes", s.lzfNodes());
                break;
            case SET_INTSET:
                d.put("intset_width", s.intsetWidth());
                break;
            case STREAM_LISTPACKS:
            case STREAM_LISTPACKS_2:
            case STREAM_LISTPACKS_3:
                d.put("listpacks", s.nodes());
                d.put("deleted_in_nodes", s.deletedInNodes());
                break;
            case HASH_WITH_EXPIRY:
                d.put("field_expire_unix_s", v.elementExpiries());
                break;
            case SET_WITH_EXPIRY:
                d.put("member_expire_unix_s", v.elementExpiries());
                break;
            default:
                break;
        }
        return d;
    }

    @Override
    public void onFullSyncEnd(boolean paddingZero) {
        rec("FULLSYNC_END").put("padding_zero", paddingZero);
        fullSyncEndSeen = true;
    }

    @Override
    public void onJournalOffset(long nextLsn) {
        rec("JOURNAL_OFFSET").put("lsn", nextLsn);
        journalOffset = nextLsn;
    }

    @Override
    public void onCompressedBlobStart(Compression compression, int compressedLength, int uncompressedLength) {
        Map<String, Object> m = rec(compression == Compression.LZ4 ? "LZ4_BLOB" : "ZSTD_BLOB");
        m.put("clen", compressedLength);
        m.put("ulen", uncompressedLength);
        List<Map<String, Object>> inner = new ArrayList<>();
        m.put("records", inner);
        stack.push(inner);
        count(compression == Compression.LZ4 ? "lz4_blobs" : "zstd_blobs");
    }

    @Override
    public void onCompressedBlobEnd(Compression compression) {
        stack.pop();
    }

    @Override
    public void onJournalBlobStart(long count) {
        journalBlob = rec("JOURNAL_BLOB");
        journalBlob.put("count", count);
        journalBlob.put("entries", new ArrayList<Map<String, Object>>());
        count("journal_blobs");
    }

    @Override
    public void onJournalBlobEnd() {
        journalBlob = null;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void onJournalEntry(JournalEntry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("op", e.op().name());
        switch (e.op()) {
            case SELECT:
                m.put("db", e.db());
                break;
            case LSN:
                m.put("lsn", e.lsn());
                m.put("matches", e.lsnMatches());
                break;
            case PING:
            case FIN:
            case NOOP:
                m.put("db", e.db());
                break;
            default: {
                m.put("txid", e.txid());
                m.put("shard_cnt", e.shardCount());
                List<Object> args = new ArrayList<>(e.args().size());
                for (byte[] a : e.args()) {
                    args.add(JsonShapes.bytes(a));
                }
                if (e.op() != JournalOp.EXEC) {
                    m.put("args", args);
                }
                m.put("db", e.db());
            }
        }
        if (journalBlob != null) {
            ((List<Map<String, Object>>) journalBlob.get("entries")).add(m);
            return;
        }
        if (e.op().consumesLsn()) {
            m.put("lsn_assigned", e.lsn());
        }
        m.put("off", e.offset());
        records.add(m);
        if (e.op() == JournalOp.LSN) {
            count("lsn_records");
        } else if (e.op() != JournalOp.SELECT) {
            count("journal_entries");
        }
    }

    @Override
    public void onTaggedChunkStart(int id, int length, boolean first) {
        chunk = rec("TAGGED_CHUNK");
        chunk.put("id", id);
        chunk.put("len", length);
        chunk.put("first", first);
        chunkOffset = (Long) chunk.get("off");
        count("tagged_chunks");
    }

    @Override
    public void onTaggedChunkEnd(int id, RdbEntry entry, boolean completesEntry) {
        if (entry != null) {
            chunk.put("key", JsonShapes.key(entry.key()));
        }
        if (completesEntry) {
            chunk.put("completes_entry", true);
        }
    }

    @Override
    public void onEof(long checksum) {
        long o = off();
        rec("EOF");
        eofSeen = true;
        if (decoder == null || decoder.rdbVersion() >= 5) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("off", o + 1);
            m.put("op", "CHECKSUM");
            StringBuilder hex = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                hex.append(String.format("%02x", (checksum >>> (8 * i)) & 0xFF));
            }
            m.put("hex", hex.toString());
            stack.peek().add(m);
        }
    }

    @Override
    public void onEofToken(byte[] token) {
        Map<String, Object> m = rec("EOF_TOKEN");
        String t = new String(token, StandardCharsets.ISO_8859_1);
        m.put("token", t);
        if (expectedToken != null) {
            m.put("matches_flow_reply", expectedToken.equals(t));
        }
        journalStart = (Long) m.get("off") + token.length;
    }
}
