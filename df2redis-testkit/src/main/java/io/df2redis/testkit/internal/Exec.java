package io.df2redis.testkit.internal;

import io.df2redis.protocol.journal.JournalOp;
import io.df2redis.protocol.rdb.RdbKeyValue;
import io.df2redis.protocol.rdb.RdbValue;
import io.df2redis.testkit.ReleaseProfile;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The execution context of write commands: the current command's arguments and db, the
 * keyspace with lazy expiry, and the journal entries recorded so far with the transaction
 * flags. One {@code Exec} spans one command, or all commands of a MULTI/EXEC block or a script
 * (their entries then share one txid). Not thread-safe: used under the master's lock.
 *
 * <p>Journaling follows Dragonfly's two paths: {@link #auto} is its auto-journal (the command as
 * received, on each shard with that shard's keys, {@code shard_cnt} = the shards the command
 * spans); {@link #journal} is an explicit {@code RecordJournal} of a rewritten command with the
 * {@code shard_cnt} the call site passes (v1.30; v1.38+ always write 1).
 */
final class Exec {
    final Dataset ds;
    final Sharding sharding;
    final ReleaseProfile profile;
    private final Dumps dumps;
    private final List<Plan.Part> parts = new ArrayList<>();
    private boolean tx;

    int db;
    long now;
    List<byte[]> args;
    String name;
    private int span;

    Exec(Dataset ds, Sharding sharding, ReleaseProfile profile, Dumps dumps) {
        this.ds = ds;
        this.sharding = sharding;
        this.profile = profile;
        this.dumps = dumps;
    }

    /** Starts the next command of this context. */
    void begin(int db, List<byte[]> args, long now) {
        this.db = db;
        this.args = args;
        this.now = now;
        this.name = upper(args.get(0));
        this.span = 1;
    }

    boolean v130() {
        return profile == ReleaseProfile.V1_30;
    }

    // ------------------------------------------------------------------ arguments

    int argc() {
        return args.size();
    }

    byte[] arg(int i) {
        return args.get(i);
    }

    String word(int i) {
        return upper(args.get(i));
    }

    long integer(int i) {
        return Reads.integer(args.get(i));
    }

    /** A float argument as Redis reads it ({@code inf}, {@code -inf} allowed); {@code error} if not. */
    double decimal(int i, String error) {
        Double d = ZRange.parseScore(new String(args.get(i), StandardCharsets.US_ASCII));
        if (d == null || d.isNaN()) {
            throw new IllegalArgumentException(error);
        }
        return d;
    }

    /**
     * The optional count of {@code LPOP}/{@code RPOP}/{@code SPOP key [count]}: argument 2, 1 when
     * absent; a syntax error for more arguments, an error for a negative count.
     */
    long popCount() {
        if (argc() > 3) {
            throw syntax();
        }
        long count = 1;
        if (argc() == 3) {
            count = integer(2);
            if (count < 0) {
                throw new IllegalArgumentException("ERR value is out of range, must be positive");
            }
        }
        return count;
    }

    /**
     * The optional {@code COUNT n} that ends {@code LMPOP}/{@code ZMPOP} after the direction
     * argument at {@code at}: 1 when absent; a syntax error for anything else after it, an error
     * for a count below 1.
     */
    long mpopCount(int at) {
        if (at + 1 >= argc()) {
            return 1;
        }
        if (at + 3 != argc() || !word(at + 1).equals("COUNT")) {
            throw syntax();
        }
        long count = integer(at + 2);
        if (count <= 0) {
            throw new IllegalArgumentException("ERR count should be greater than 0");
        }
        return count;
    }

    List<byte[]> tail(int from) {
        return new ArrayList<>(args.subList(from, args.size()));
    }

    /** Reads the members of a hash, set or sorted set (null when the key is absent). */
    interface MemberLoader<V> {
        Map<ByteKey, V> load(Exec x, byte[] key);
    }

    /** Stores the members of a hash, set or sorted set (deleting the key when none is left). */
    interface MemberSaver<V> {
        void save(Exec x, byte[] key, RdbKeyValue old, Map<ByteKey, V> members);
    }

    /**
     * {@code HDEL}, {@code SREM}, {@code ZREM}: removes the members named from argument 2 on and
     * replies how many of them were there.
     */
    <V> byte[] removeMembers(MemberLoader<V> load, MemberSaver<V> save) {
        byte[] key = arg(1);
        RdbKeyValue old = get(key);
        Map<ByteKey, V> m = load.load(this, key);
        if (m == null) {
            return Resp.integer(0);
        }
        int removed = 0;
        for (int i = 2; i < argc(); i++) {
            removed += m.remove(new ByteKey(arg(i))) != null ? 1 : 0;
        }
        save.save(this, key, old, m);
        auto();
        return Resp.integer(removed);
    }

    // ------------------------------------------------------------------ keyspace

    /** The live entry of {@code key} in the current db; an expired key is deleted (and the deletion journaled) first. */
    RdbKeyValue get(byte[] key) {
        return get(db, key);
    }

    RdbKeyValue get(int inDb, byte[] key) {
        ByteKey k = new ByteKey(key);
        RdbKeyValue kv = ds.get(inDb, k);
        if (kv != null && kv.expireAtMs() >= 0 && kv.expireAtMs() <= now) {
            ds.remove(inDb, k);
            expired(inDb, key);
            return null;
        }
        return kv;
    }

    /** The value of {@code key} as {@code type}, null when absent; WRONGTYPE when another type. */
    <T extends RdbValue> T get(byte[] key, Class<T> type) {
        return Reads.typed(get(key), type);
    }

    /** Stores {@code value} under {@code key}, keeping the TTL and sticky/memcached flags of {@code old}. */
    void update(byte[] key, RdbKeyValue old, RdbValue value) {
        RdbKeyValue kv = RdbKeyValue.of(key, value);
        if (old != null) {
            kv = kv.withExpireAtMs(old.expireAtMs()).withDfMask(old.dfMask(), old.mcFlags());
        }
        ds.put(db, kv);
    }

    void put(RdbKeyValue kv) {
        ds.put(db, kv);
    }

    /** Removes {@code key} from the current db without journaling; the old entry or null. */
    RdbKeyValue delete(byte[] key) {
        return ds.remove(db, new ByteKey(key));
    }

    byte[] dump(RdbKeyValue kv) {
        return dumps.dump(kv);
    }

    int shardOf(byte[] key) {
        return sharding.shardOf(key);
    }

    // ------------------------------------------------------------------ transaction flags

    /** Marks the command as a multi-hop or global transaction: its entries get a txid. */
    void multiHop() {
        tx = true;
    }

    /** Records the keys the command spans; more than one shard makes it a multi-shard transaction. */
    void span(Collection<byte[]> keys) {
        Set<Integer> shards = new HashSet<>();
        for (byte[] k : keys) {
            shards.add(sharding.shardOf(k));
        }
        span = Math.max(1, shards.size());
        if (span > 1) {
            tx = true;
        }
    }

    /** The number of shards the current command spans (v1.30's auto-journal {@code shard_cnt}). */
    int span() {
        return span;
    }

    // ------------------------------------------------------------------ journal

    /** Auto-journal: the current command verbatim (upper-case name) on the shard of its first key. */
    void auto() {
        auto(args.get(1));
    }

    /** Auto-journal of the current command on the shard of {@code touched[0]}, touching {@code touched}. */
    void auto(byte[]... touched) {
        List<byte[]> j = new ArrayList<>(args);
        j.set(0, b(name));
        record(sharding.shardOf(touched[0]), j, keys(touched), span);
    }

    /** Auto-journal of one shard's part of a multi-key command: {@code name} with {@code shardArgs}. */
    void autoPart(int shard, List<byte[]> shardArgs, Set<ByteKey> keys) {
        List<byte[]> j = new ArrayList<>(shardArgs.size() + 1);
        j.add(b(name));
        j.addAll(shardArgs);
        record(shard, j, keys, span);
    }

    /**
     * Auto-journal of a multi-key command spanning {@code keys}: the command as received when they
     * live on one shard; else, on each shard, the command name with that shard's keys only (what
     * Dragonfly's auto-journal writes for commands whose other arguments are not per key, e.g.
     * v1.30's {@code ZUNIONSTORE}: an entry a replica cannot execute).
     */
    void autoKeys(List<byte[]> keys) {
        if (span == 1) {
            auto(keys.toArray(new byte[0][]));
            return;
        }
        java.util.Map<Integer, List<byte[]>> perShard = new java.util.LinkedHashMap<>();
        java.util.Map<Integer, Set<ByteKey>> touched = new java.util.LinkedHashMap<>();
        for (byte[] k : keys) {
            int s = sharding.shardOf(k);
            perShard.computeIfAbsent(s, z -> new ArrayList<>()).add(k);
            touched.computeIfAbsent(s, z -> new LinkedHashSet<>()).add(new ByteKey(k));
        }
        for (java.util.Map.Entry<Integer, List<byte[]>> e : perShard.entrySet()) {
            autoPart(e.getKey(), e.getValue(), touched.get(e.getKey()));
        }
    }

    /** An explicit journal entry (Dragonfly's {@code RecordJournal}) on the shard of {@code key}. */
    void journal(byte[] key, int shardCnt, String cmd, List<byte[]> cmdArgs) {
        List<byte[]> j = new ArrayList<>(cmdArgs.size() + 1);
        j.add(b(cmd));
        j.addAll(cmdArgs);
        record(sharding.shardOf(key), j, keys(key), shardCnt);
    }

    /** {@link #journal(byte[], int, String, List)} with arguments given as byte[], String or numbers. */
    void journal(byte[] key, int shardCnt, String cmd, Object... cmdArgs) {
        List<byte[]> a = new ArrayList<>(cmdArgs.length);
        for (Object o : cmdArgs) {
            a.add(o instanceof byte[] bytes ? bytes : b(String.valueOf(o)));
        }
        journal(key, shardCnt, cmd, a);
    }

    /** An explicit journal entry on {@code shard} touching {@code keys} (one shard's part of a multi-key rewrite). */
    void journalPart(int shard, int shardCnt, String cmd, List<byte[]> cmdArgs, Set<ByteKey> keys) {
        List<byte[]> j = new ArrayList<>(cmdArgs.size() + 1);
        j.add(b(cmd));
        j.addAll(cmdArgs);
        record(shard, j, keys, shardCnt);
    }

    /** A global command (FLUSHDB/FLUSHALL) on every shard. */
    void global(List<byte[]> jargs, boolean allDbs) {
        tx = true;
        for (int s = 0; s < sharding.shards(); s++) {
            parts.add(new Plan.Part(db, s, JournalOp.COMMAND, jargs, null, allDbs, false, sharding.shards()));
        }
    }

    /** The journal entry of an expired key: EXPIRED (up to v1.37) or COMMAND (v1.38+) {@code DEL key}, txid 0. */
    void expired(int inDb, byte[] key) {
        JournalOp op = profile.journalsExpiredOpcode() ? JournalOp.EXPIRED : JournalOp.COMMAND;
        parts.add(new Plan.Part(inDb, sharding.shardOf(key), op, List.of(b("DEL"), key), keys(key), false, true, 1));
    }

    private void record(int shard, List<byte[]> jargs, Set<ByteKey> keys, int shardCnt) {
        parts.add(new Plan.Part(db, shard, JournalOp.COMMAND, jargs, keys, false, false, shardCnt));
    }

    /** The entries and flags recorded so far, with {@code reply}. */
    Plan plan(byte[] reply, RuntimeException error) {
        return new Plan(List.copyOf(parts), tx, reply, error);
    }

    // ------------------------------------------------------------------ helpers

    static Set<ByteKey> keys(byte[]... ks) {
        Set<ByteKey> s = new LinkedHashSet<>();
        for (byte[] k : ks) {
            s.add(new ByteKey(k));
        }
        return s;
    }

    static String upper(byte[] b) {
        return new String(b, StandardCharsets.UTF_8).toUpperCase(Locale.ROOT);
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static IllegalArgumentException syntax() {
        return new IllegalArgumentException(Resp.SYNTAX);
    }

    static IllegalStateException wrongType() {
        return new IllegalStateException(Commands.WRONGTYPE);
    }
}
