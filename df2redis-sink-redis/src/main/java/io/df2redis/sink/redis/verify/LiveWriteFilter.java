package io.df2redis.sink.redis.verify;

import io.df2redis.replica.JournalEvent;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The keys live writes touched since a snapshot, for a {@link SyncRecorder}: a fixed-size bit
 * filter of {@code (db, key)} (4 probes) plus the dbs flushed or swapped. It may name a few
 * untouched keys (false positives, which only send them to the live comparison); it never misses
 * one. Not thread-safe: the recorder calls it under its lock.
 */
final class LiveWriteFilter {
    private static final int PROBES = 4;

    private final long[] touched;
    private boolean flushedAll;
    private final Set<Integer> flushedDbs = new HashSet<>();

    /** @param bits the size of the filter */
    LiveWriteFilter(long bits) {
        this.touched = new long[(int) Math.max(1, bits / 64)];
    }

    /** Forgets every write (a new full sync). */
    void reset() {
        flushedAll = false;
        flushedDbs.clear();
        Arrays.fill(touched, 0);
    }

    /** Whether a live write may have changed the key since its snapshot (may err towards yes, never towards no). */
    boolean maybeChanged(int db, byte[] key) {
        if (flushedAll || flushedDbs.contains(db)) {
            return true;
        }
        long h1 = Hash64.of(db, key);
        long h2 = Hash64.mix(h1) | 1;
        for (int i = 0; i < PROBES; i++) {
            long bit = bit(h1, h2, i);
            if ((touched[(int) (bit >>> 6)] & (1L << bit)) == 0) {
                return false;
            }
        }
        return true;
    }

    /** The filter bit of probe {@code i} of a key hashed to {@code h1}, {@code h2}. */
    private long bit(long h1, long h2, int i) {
        return Long.remainderUnsigned(h1 + i * h2, touched.length * 64L);
    }

    /** Records the keys (or dbs) a journal or global command may change. */
    void touch(JournalEvent e) {
        List<byte[]> args = e.args();
        if (args.isEmpty()) {
            return;
        }
        String cmd = e.command().toUpperCase(Locale.ROOT);
        int db = e.db();
        switch (cmd) {
            case "FLUSHALL" -> flushedAll = true;
            case "FLUSHDB" -> flushedDbs.add(db);
            case "SWAPDB" -> {
                flushedDbs.add(intArg(args, 1, db));
                flushedDbs.add(intArg(args, 2, db));
            }
            case "SELECT", "PING", "MULTI", "EXEC" -> {
            }
            case "MSET", "MSETNX" -> {
                for (int i = 1; i < args.size(); i += 2) {
                    mark(db, args.get(i));
                }
            }
            case "BITOP" -> markFrom(db, args, 2);
            case "ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE" -> {
                mark(db, args.get(1));
                int n = intArg(args, 2, 0);
                for (int i = 3; i < Math.min(args.size(), 3 + n); i++) {
                    mark(db, args.get(i));
                }
            }
            case "MOVE" -> {
                mark(db, args.get(1));
                mark(intArg(args, 2, db), args.get(1));
            }
            case "COPY" -> {
                markFrom(db, args, 1);
                for (int i = 3; i + 1 < args.size(); i++) {
                    if (new String(args.get(i), StandardCharsets.US_ASCII).equalsIgnoreCase("DB")) {
                        mark(intArg(args, i + 1, db), args.get(2));
                    }
                }
            }
            // every argument may be a key: multi-key commands (and arguments that are not keys
            // only cost false positives, which send a key to the live comparison)
            case "DEL", "UNLINK", "TOUCH", "RENAME", "RENAMENX", "SMOVE", "RPOPLPUSH", "LMOVE", "BLMOVE",
                    "BRPOPLPUSH", "SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE", "PFMERGE", "GEORADIUS",
                    "GEORADIUSBYMEMBER", "GEOSEARCHSTORE", "ZRANGESTORE", "SORT", "LMPOP", "ZMPOP", "BLMPOP",
                    "BZMPOP", "BLPOP", "BRPOP", "BZPOPMIN", "BZPOPMAX" -> markFrom(db, args, 1);
            default -> {
                if (args.size() > 1) {
                    mark(db, args.get(1));
                }
            }
        }
    }

    private void markFrom(int db, List<byte[]> args, int from) {
        for (int i = from; i < args.size(); i++) {
            mark(db, args.get(i));
        }
    }

    private void mark(int db, byte[] key) {
        long h1 = Hash64.of(db, key);
        long h2 = Hash64.mix(h1) | 1;
        for (int i = 0; i < PROBES; i++) {
            long bit = bit(h1, h2, i);
            touched[(int) (bit >>> 6)] |= 1L << bit;
        }
    }

    private static int intArg(List<byte[]> args, int i, int dflt) {
        try {
            return i < args.size() ? Integer.parseInt(new String(args.get(i), StandardCharsets.US_ASCII)) : dflt;
        } catch (NumberFormatException e) {
            return dflt;
        }
    }
}
