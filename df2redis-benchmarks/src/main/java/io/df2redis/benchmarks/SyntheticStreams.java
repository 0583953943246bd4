package io.df2redis.benchmarks;

import io.df2redis.protocol.rdb.RdbOpcodes;
import io.df2redis.protocol.rdb.RdbType;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Deterministic synthetic inputs for the benchmarks, written with the wire format of
 * {@code dragonfly-replication.md} (§2 primitives, §4 full-sync records, §5 journal).
 */
public final class SyntheticStreams {
    private static final byte[] ALPHABET =
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_:".getBytes(StandardCharsets.US_ASCII);

    // record opcodes and type bytes: RdbOpcodes, RdbType
    private static final int QUICKLIST_NODE_PACKED = 2;
    /** Dragonfly's default list node size (list-max-listpack-size -2 = 8 KB). */
    private static final int LIST_NODE_BYTES = 8 * 1024;

    // journal opcodes (§5.2)
    private static final int J_SELECT = 6;
    private static final int J_COMMAND = 10;
    private static final int J_LSN = 15;

    private SyntheticStreams() {
    }

    /** What {@link #dragonflyFlow} put into the stream, for checks and for the report. */
    public record FlowContents(byte[] bytes, long strings, long hashes, long lists, long sets, long zsets,
                               long elements) {
        public long entries() {
            return strings + hashes + lists + sets + zsets;
        }

        @Override
        public String toString() {
            return bytes.length + " bytes: " + entries() + " entries (" + strings + " strings, " + hashes
                    + " listpack hashes, " + lists + " lists, " + sets + " sets, " + zsets + " zsets), " + elements
                    + " container elements";
        }
    }

    /**
     * One Dragonfly full-sync flow (spec §4.1) of at least {@code targetBytes}, uncompressed and
     * untagged: {@code REDIS0009}, the AUX header, then blocks of ~2000 small strings (10% with a
     * TTL, 20% int-encoded), ~200 listpack hashes (type 16, 5–20 fields) and one big container
     * rotating list (type 18, 8 KB listpack nodes) / set (type 2) / zset (type 5) of 5000
     * elements, each block opened by SELECTDB as Dragonfly re-emits it after every flush; then
     * FULLSYNC_END, JOURNAL_OFFSET, EOF, zero checksum and the 40-byte eof token (no journal).
     */
    public static FlowContents dragonflyFlow(long targetBytes, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        WireWriter w = new WireWriter((int) Math.min(Integer.MAX_VALUE - 64, targetBytes + (1 << 20)));
        w.ascii("REDIS0009");
        aux(w, "redis-ver", "6.2.11");
        aux(w, "df-ver", "df-v1.40.1");
        w.u8(RdbOpcodes.AUX).rdbString("redis-bits").rdbIntString(64);
        w.u8(RdbOpcodes.AUX).rdbString("ctime").rdbIntString(1_767_225_600);
        w.u8(RdbOpcodes.AUX).rdbString("used-mem").rdbIntString((int) Math.min(Integer.MAX_VALUE, targetBytes * 3));
        w.u8(RdbOpcodes.AUX).rdbString("aof-preamble").rdbIntString(0);
        w.u8(RdbOpcodes.AUX).rdbString("shard-id").rdbIntString(0);

        long strings = 0;
        long hashes = 0;
        long lists = 0;
        long sets = 0;
        long zsets = 0;
        long elements = 0;
        long expireBase = 1_900_000_000_000L;
        int block = 0;
        while (w.size() < targetBytes) {
            w.u8(RdbOpcodes.SELECTDB).packed(0);
            for (int i = 0; i < 2000; i++) {
                if (rnd.nextInt(10) == 0) {
                    w.u8(RdbOpcodes.EXPIRETIME_MS).u64le(expireBase + rnd.nextInt(1_000_000_000));
                }
                w.u8(RdbType.STRING.code()).rdbString(key("str", block, i));
                if (rnd.nextInt(5) == 0) {
                    w.rdbIntString(rnd.nextInt());
                } else {
                    w.rdbString(randomBytes(rnd, 16, 96));
                }
                strings++;
            }
            for (int i = 0; i < 200; i++) {
                WireWriter.Listpack lp = new WireWriter.Listpack();
                int fields = 5 + rnd.nextInt(16);
                for (int f = 0; f < fields; f++) {
                    lp.add(("field:" + f).getBytes(StandardCharsets.US_ASCII));
                    if (rnd.nextInt(4) == 0) {
                        lp.add(rnd.nextInt(100_000));
                    } else {
                        lp.add(randomBytes(rnd, 4, 40));
                    }
                }
                w.u8(RdbType.HASH_LISTPACK.code()).rdbString(key("hash", block, i)).rdbString(lp.toByteArray());
                hashes++;
                elements += fields;
            }
            int n = 5000;
            switch (block % 3) {
                case 0: {
                    w.u8(RdbType.LIST_QUICKLIST_2.code()).rdbString(key("list", block, 0));
                    writeQuicklist(w, rnd, n);
                    lists++;
                    break;
                }
                case 1: {
                    w.u8(RdbType.SET.code()).rdbString(key("set", block, 0)).packed(n);
                    for (int i = 0; i < n; i++) {
                        w.rdbString(randomBytes(rnd, 10, 24));
                    }
                    sets++;
                    break;
                }
                default: {
                    w.u8(RdbType.ZSET_2.code()).rdbString(key("zset", block, 0)).packed(n);
                    double score = 0;
                    for (int i = 0; i < n; i++) {
                        score += rnd.nextDouble() * 10;
                        w.rdbString(randomBytes(rnd, 10, 24)).doubleLe(score);
                    }
                    zsets++;
                    break;
                }
            }
            elements += n;
            block++;
        }
        w.u8(RdbOpcodes.FULLSYNC_END).u64le(0);
        w.u8(RdbOpcodes.JOURNAL_OFFSET).u64le(1);
        w.u8(RdbOpcodes.EOF).u64le(0);
        w.ascii("0123456789abcdef0123456789abcdef01234567");
        return new FlowContents(w.toByteArray(), strings, hashes, lists, sets, zsets, elements);
    }

    private static void writeQuicklist(WireWriter w, SplittableRandom rnd, int n) {
        // build the nodes first: the node count precedes them
        List<byte[]> nodes = new ArrayList<>();
        WireWriter.Listpack lp = new WireWriter.Listpack();
        for (int i = 0; i < n; i++) {
            lp.add(randomBytes(rnd, 8, 40));
            if (lp.encodedSize() >= LIST_NODE_BYTES) {
                nodes.add(lp.toByteArray());
                lp = new WireWriter.Listpack();
            }
        }
        if (lp.count() > 0) {
            nodes.add(lp.toByteArray());
        }
        w.packed(nodes.size());
        for (byte[] node : nodes) {
            w.packed(QUICKLIST_NODE_PACKED).rdbString(node);
        }
    }

    /** Value-size profiles of {@link #journal}. */
    public enum JournalProfile {
        /** Every value 8–32 bytes. */
        SMALL,
        /** 70% 8–64 bytes, 25% 100–1000 bytes, 5% 4–16 KiB. */
        MIXED
    }

    /** What {@link #journal} put into the stream. */
    public record JournalContents(byte[] bytes, long commands, long selects, long lsnRecords) {
        public long entries() {
            return commands + selects + lsnRecords;
        }

        @Override
        public String toString() {
            return bytes.length + " bytes: " + entries() + " journal entries (" + commands + " COMMAND, " + selects
                    + " SELECT, " + lsnRecords + " LSN)";
        }
    }

    /**
     * A stable-sync journal stream (spec §5.2) of at least {@code targetBytes}, for a flow whose
     * first LSN is 1: SELECT when the db changes (every 500 commands, dbs 0–3), COMMAND entries
     * {@code SET key value} (10% {@code SET key value PXAT <ms>}; txid 0 for 90%, else a rising
     * txid; shard_cnt 1), and an LSN record after every 1000th command, equal to the LSN of the
     * command before it (§5.4).
     */
    public static JournalContents journal(JournalProfile profile, long targetBytes, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        WireWriter w = new WireWriter((int) Math.min(Integer.MAX_VALUE - 64, targetBytes + (1 << 20)));
        long commands = 0;
        long selects = 0;
        long lsnRecords = 0;
        long txid = 1000;
        int db = -1;
        byte[] set = "SET".getBytes(StandardCharsets.US_ASCII);
        byte[] pxat = "PXAT".getBytes(StandardCharsets.US_ASCII);
        while (w.size() < targetBytes) {
            int wantDb = (int) ((commands / 500) % 4);
            if (wantDb != db) {
                db = wantDb;
                w.packed(J_SELECT).packed(db);
                selects++;
            }
            byte[] key = ("key:" + rnd.nextInt(1_000_000)).getBytes(StandardCharsets.US_ASCII);
            byte[] value = randomBytes(rnd, valueSize(profile, rnd));
            boolean withExpiry = rnd.nextInt(10) == 0;
            w.packed(J_COMMAND).packed(rnd.nextInt(10) == 0 ? ++txid : 0).packed(1);
            if (withExpiry) {
                byte[] at = Long.toString(1_900_000_000_000L + rnd.nextInt(1_000_000_000))
                        .getBytes(StandardCharsets.US_ASCII);
                w.packed(5).packed(set.length + key.length + value.length + pxat.length + at.length);
                w.packed(set.length).bytes(set).packed(key.length).bytes(key).packed(value.length).bytes(value);
                w.packed(pxat.length).bytes(pxat).packed(at.length).bytes(at);
            } else {
                w.packed(3).packed(set.length + key.length + value.length);
                w.packed(set.length).bytes(set).packed(key.length).bytes(key).packed(value.length).bytes(value);
            }
            commands++;
            if (commands % 1000 == 0) {
                w.packed(J_LSN).packed(commands); // LSN of the command just written (first LSN is 1)
                lsnRecords++;
            }
        }
        return new JournalContents(w.toByteArray(), commands, selects, lsnRecords);
    }

    private static int valueSize(JournalProfile profile, SplittableRandom rnd) {
        if (profile == JournalProfile.SMALL) {
            return 8 + rnd.nextInt(25);
        }
        int p = rnd.nextInt(100);
        if (p < 70) {
            return 8 + rnd.nextInt(57);
        }
        if (p < 95) {
            return 100 + rnd.nextInt(901);
        }
        return 4096 + rnd.nextInt(12289);
    }

    private static void aux(WireWriter w, String key, String value) {
        w.u8(RdbOpcodes.AUX).rdbString(key).rdbString(value);
    }

    private static byte[] key(String kind, int block, int i) {
        return (kind + ":" + block + ":" + i).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] randomBytes(SplittableRandom rnd, int min, int max) {
        return randomBytes(rnd, min + rnd.nextInt(max - min + 1));
    }

    private static byte[] randomBytes(SplittableRandom rnd, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = ALPHABET[rnd.nextInt(ALPHABET.length)];
        }
        return b;
    }
}
