package io.df2redis.sink.redis.internal;

import io.df2redis.protocol.rdb.EntrySummary;
import io.df2redis.protocol.rdb.RdbDecoder;
import io.df2redis.protocol.rdb.RdbEntry;
import io.df2redis.protocol.rdb.RdbHandler;
import io.df2redis.protocol.rdb.RdbType;
import io.df2redis.protocol.rdb.StreamId;
import io.df2redis.protocol.rdb.ValueBatch;
import io.df2redis.protocol.resp.BulkString;
import io.df2redis.protocol.resp.ErrorReply;
import io.df2redis.protocol.resp.RespReply;
import io.df2redis.replica.JournalEvent;
import io.df2redis.replica.ReplicationException;
import io.df2redis.replica.SinkEvent;
import io.df2redis.sink.redis.RedisCommandException;
import io.df2redis.sink.redis.ServerIdentity;
import io.df2redis.sink.redis.TargetCheckException;
import io.df2redis.sink.redis.TargetConnectionException;
import io.df2redis.sink.redis.UnsupportedData;
import io.df2redis.sink.redis.internal.cluster.CommandKeys;
import io.df2redis.sink.redis.internal.cluster.SlotHash;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One ordered command stream into Redis: the writer of one replication flow, or
 * the control stream (full-sync start, global commands). Translates sink events into native Redis
 * commands, selects the event's db when the connection's differs, and pipelines everything.
 * Not thread-safe by design: {@link #apply} is synchronized only to guard against a host that
 * calls it from several threads.
 *
 * <p>Every command goes through a {@link Lane}: one connection to a standalone Redis, or
 * slot-routed connections to the masters of a cluster (journal commands with keys in several slots
 * are split per slot where their meaning survives).
 */
public final class FlowWriter {

    /** What the writer reports to its sink. */
    public interface Host {
        /** Records an unsupported key; returns the exception to fail with (FAIL policy) or null. */
        RuntimeException unsupported(UnsupportedData d);

        void dfMaskIgnored();

        void commandFailed(Throwable t);

        /**
         * Whether the current full sync writes into dbs known to be empty (the target was empty or
         * flushed at its start): snapshot keys then need no {@code DEL} first (a key's snapshot entry
         * precedes every journal write to it, spec §3, and a key is in one flow only).
         */
        boolean snapshotIntoEmpty();

        /** A command is about to be sent into target db {@code targetDb} (0 on a cluster). */
        void wrote(int targetDb);
    }

    private static final byte[] TMP_GROUP = b("__df2redis_tmp__");
    private static final String PREPEND_SCRIPT =
            "local v = redis.call('GET', KEYS[1]) or '' "
                    + "local t = redis.call('PTTL', KEYS[1]) "
                    + "if t > 0 then redis.call('SET', KEYS[1], ARGV[1] .. v, 'PX', t) "
                    + "else redis.call('SET', KEYS[1], ARGV[1] .. v) end "
                    + "return string.len(ARGV[1] .. v)";

    private final Lane lane;
    private final TargetInfo target;
    private final Host host;
    private final DbMapping dbs;
    /** Set while a journal RESTORE is being written natively: that key may exist, so it is deleted first. */
    private boolean restoring;
    /** Entries between start and end: by identity (the decoder hands the same entry to every callback). */
    private final Map<RdbEntry, EntryState> open = new java.util.IdentityHashMap<>();
    private Ack ack;

    /** A writer of one command stream through {@code lane}; {@code host} receives what it reports. */
    public FlowWriter(Lane lane, TargetInfo target, Host host, DbMapping dbs) {
        this.lane = lane;
        this.target = target;
        this.host = host;
        this.dbs = dbs;
    }

    public Lane lane() {
        return lane;
    }

    // ----------------------------------------------------------------- events

    /** Applies one event; the future completes when Redis answered every command it produced. */
    public synchronized CompletableFuture<Void> apply(SinkEvent event) {
        ack = new Ack(host::commandFailed, lane.endpoint());
        try {
            if (event instanceof SinkEvent.EntryStart s) {
                entryStart(s.entry());
            } else if (event instanceof SinkEvent.EntryBatch bt) {
                entryBatch(bt.entry(), bt.batch());
            } else if (event instanceof SinkEvent.EntryEnd e) {
                entryEnd(e.entry());
            } else if (event instanceof SinkEvent.Journal j) {
                journal(j.event());
            } else if (event instanceof SinkEvent.GlobalCommand g) {
                global(g.event());
            }
        } catch (RuntimeException e) {
            ack.fail(e);
        }
        CompletableFuture<Void> f = ack.seal();
        ack = null;
        return f;
    }

    /**
     * Key counts of the target's non-empty dbs, summed over every master of a cluster:
     * {@code INFO keyspace} on each, answered before this returns (blocks the calling thread, which
     * must not be an event loop).
     *
     * @throws io.df2redis.sink.redis.RedisSinkException when a master cannot tell (error reply, no Keyspace
     *     section) or does not answer within {@code timeout}
     */
    public synchronized Map<Integer, Long> keyspace(Duration timeout) {
        Map<Integer, Long> out = new TreeMap<>();
        for (CompletableFuture<RespReply> f : lane.broadcast(0, List.of(b("INFO"), b("keyspace")))) {
            RespReply r;
            try {
                r = f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TargetConnectionException(lane.endpoint(), "interrupted reading the target's INFO keyspace",
                        e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof ReplicationException re) {
                    throw re;
                }
                throw new TargetConnectionException(lane.endpoint(), "INFO keyspace failed: " + e.getCause(),
                        e.getCause());
            } catch (TimeoutException e) {
                throw new TargetConnectionException(lane.endpoint(), "no reply to INFO keyspace from "
                        + lane.endpoint() + " within " + timeout.toSeconds() + " s", e);
            }
            if (r instanceof ErrorReply e) {
                throw new RedisCommandException(lane.endpoint(), "INFO", null, 0, e.message());
            }
            String text = r instanceof BulkString bs ? bs.asString() : String.valueOf(r);
            Map<Integer, long[]> ks = ServerIdentity.keyspace(text).orElseThrow(() ->
                    new TargetCheckException(lane.endpoint(), "the target's INFO keyspace has no Keyspace section: cannot tell "
                            + "whether it holds keys, so the full-sync target policy cannot be applied"));
            ks.forEach((db, n) -> out.merge(db, n[0], Long::sum));
        }
        return out;
    }

    /**
     * {@code FLUSHDB} of each of these target dbs (on every master of a cluster); the future
     * completes when every one was answered.
     */
    public synchronized CompletableFuture<Void> flush(Collection<Integer> targetDbs) {
        Ack a = new Ack(host::commandFailed, lane.endpoint());
        for (int d : targetDbs) {
            for (CompletableFuture<RespReply> f : lane.broadcast(lane.cluster() ? 0 : d, List.of(b("FLUSHDB")))) {
                a.register(f, "FLUSHDB", null, d);
            }
        }
        return a.seal();
    }

    private void cmd(int onDb, byte[] key, byte[]... args) {
        send(onDb, key, List.of(args));
    }

    /** Sends one command about {@code key} (the routing key on a cluster) of source db {@code onDb}. */
    private void send(int onDb, byte[] key, List<byte[]> args) {
        if (ack.failed()) {
            return; // the event already failed: send nothing more for it
        }
        int d = dbs.target(onDb, key, lane.cluster());
        host.wrote(d);
        ack.register(lane.send(d, key, args), new String(args.get(0), StandardCharsets.UTF_8).toUpperCase(Locale.ROOT),
                key == null ? null : new String(key, StandardCharsets.UTF_8), d);
    }

    /**
     * Sends a journal command. On a cluster its keys pick the node; a command whose keys span
     * several slots is split per slot when its meaning survives (DEL, UNLINK, TOUCH, EXISTS,
     * MSET) and otherwise goes to the unsupported-data policy.
     */
    private void route(int onDb, String name, List<byte[]> args) {
        if (!lane.cluster()) {
            send(onDb, args.size() > 1 ? args.get(1) : null, args);
            return;
        }
        if (CommandKeys.isBroadcast(name)) {
            broadcast(onDb, name, args);
            return;
        }
        int[] keys = CommandKeys.keyIndexes(name, args);
        if (keys.length == 0) {
            send(onDb, null, args);
            return;
        }
        int slot = SlotHash.slot(args.get(keys[0]));
        boolean oneSlot = true;
        for (int i = 1; i < keys.length && oneSlot; i++) {
            oneSlot = SlotHash.slot(args.get(keys[i])) == slot;
        }
        if (oneSlot) {
            send(onDb, args.get(keys[0]), args);
            return;
        }
        List<List<byte[]>> parts = CommandKeys.splitBySlot(name, args);
        if (parts == null) {
            unsupported(args.get(keys[0]), onDb, name, UnsupportedData.REASON_CROSS_SLOT);
            return;
        }
        for (List<byte[]> part : parts) {
            send(onDb, part.get(1), part);
        }
    }

    private void broadcast(int onDb, String name, List<byte[]> args) {
        if (ack.failed()) {
            return;
        }
        broadcastTo(dbs.target(onDb, null, lane.cluster()), name, args);
    }

    private void broadcastTo(int d, String name, List<byte[]> args) {
        host.wrote(d);
        for (CompletableFuture<RespReply> f : lane.broadcast(d, args)) {
            ack.register(f, name, null, d);
        }
    }

    private void unsupported(byte[] key, int onDb, String type, String reason) {
        RuntimeException e = host.unsupported(new UnsupportedData(key, onDb, type, reason));
        if (e != null) {
            throw e;
        }
    }

    // ----------------------------------------------------------------- snapshot entries

    private void entryStart(RdbEntry entry) {
        EntryState st = new EntryState();
        open.put(entry, st);
        if (entry.isSticky() || entry.hasMcFlags()) {
            host.dfMaskIgnored();
        }
        RdbType.LogicalType lt = entry.type().logicalType();
        byte[] key = entry.key();
        if (lt == RdbType.LogicalType.STRING) {
            return; // the first chunk's SET replaces the key and its TTL
        }
        if (restoring || !host.snapshotIntoEmpty() || dbs.merged(entry.db())) {
            // upsert: the entry replaces whatever the key held (in a merged db, another source db's
            // key of the same name may already be there)
            cmd(entry.db(), key, b("DEL"), key);
        }
        if (lt == RdbType.LogicalType.JSON) {
            if (!target.json()) {
                st.skip = true;
                unsupported(key, entry.db(), lt.typeReply(), UnsupportedData.REASON_NO_JSON_MODULE);
            }
        } else if (lt != RdbType.LogicalType.LIST && lt != RdbType.LogicalType.SET && lt != RdbType.LogicalType.ZSET
                && lt != RdbType.LogicalType.HASH && lt != RdbType.LogicalType.STREAM) {
            st.skip = true;
            unsupported(key, entry.db(), lt.typeReply(), UnsupportedData.REASON_UNSUPPORTED_TYPE);
        }
    }

    /** The open entry's state; an equal entry (same db and key) if not the same instance. */
    private EntryState lookup(RdbEntry entry, boolean remove) {
        EntryState st = remove ? open.remove(entry) : open.get(entry);
        if (st != null) {
            return st;
        }
        for (Map.Entry<RdbEntry, EntryState> e : open.entrySet()) {
            if (e.getKey().db() == entry.db() && java.util.Arrays.equals(e.getKey().key(), entry.key())) {
                if (remove) {
                    open.remove(e.getKey());
                }
                return e.getValue();
            }
        }
        return null;
    }

    private EntryState state(RdbEntry entry) {
        EntryState st = lookup(entry, false);
        if (st == null) {
            throw new IllegalStateException("value batch for key '" + entry.keyAsString() + "' without entry start");
        }
        return st;
    }

    private void entryBatch(RdbEntry entry, ValueBatch batch) {
        EntryState st = state(entry);
        if (st.skip) {
            return;
        }
        int d = entry.db();
        byte[] key = entry.key();
        long now = System.currentTimeMillis();
        if (batch instanceof ValueBatch.StringChunk c) {
            if (c.isWhole() && entry.hasExpiry()) {
                // one command instead of SET + PEXPIREAT (measured: docs/architecture.md)
                st.expirySet = true;
                if (entry.expireAtMs() <= now) {
                    cmd(d, key, b("DEL"), key);
                } else {
                    cmd(d, key, b("SET"), key, c.bytes(), b("PXAT"), b(Long.toString(entry.expireAtMs())));
                }
            } else {
                cmd(d, key, c.position() == 0 ? b("SET") : b("APPEND"), key, c.bytes());
            }

        } else if (batch instanceof ValueBatch.ListElements l) {
            send(d, key, with(List.of(b("RPUSH"), key), l.elements()));

        } else if (batch instanceof ValueBatch.SetMembers s) {
                List<byte[]> a = new ArrayList<>(s.members().size() + 2);
                a.add(b("SADD"));
                a.add(key);
                boolean ttl = false;
                for (int i = 0; i < s.members().size(); i++) {
                    long exp = s.expireAtSeconds() == null ? -1 : s.expireAtSeconds()[i];
                    if (exp >= 0) {
                        if (exp * 1000 <= now) {
                            continue; // already expired
                        }
                        ttl = true;
                    }
                    a.add(s.members().get(i));
                }
                if (a.size() > 2) {
                    send(d, key, a);
                }
                if (ttl && !st.ttlReported) {
                    st.ttlReported = true;
                    unsupported(key, d, "set", UnsupportedData.REASON_MEMBER_TTL);
                }
            
        } else if (batch instanceof ValueBatch.HashFields h) {
            hashFields(st, d, key, h, now);

        } else if (batch instanceof ValueBatch.ZSetMembers z) {
                List<byte[]> a = new ArrayList<>(z.members().size() * 2 + 2);
                a.add(b("ZADD"));
                a.add(key);
                for (int i = 0; i < z.members().size(); i++) {
                    a.add(b(score(z.scores()[i])));
                    a.add(z.members().get(i));
                }
                send(d, key, a);
            
        } else if (batch instanceof ValueBatch.StreamEntries s) {
                for (ValueBatch.StreamEntry e : s.entries()) {
                    send(d, key, with(List.of(b("XADD"), key, b(e.id().toString())), e.fieldsAndValues()));
                    st.streamCreated = true;
                }
            
        } else if (batch instanceof ValueBatch.StreamMetadata m) {
                if (!st.streamCreated) {
                    cmd(d, key, b("XGROUP"), b("CREATE"), key, TMP_GROUP, b("0"), b("MKSTREAM"));
                    cmd(d, key, b("XGROUP"), b("DESTROY"), key, TMP_GROUP);
                    st.streamCreated = true;
                }
                List<byte[]> a = new ArrayList<>(List.of(b("XSETID"), key, b(m.lastId().toString())));
                if (m.entriesAdded() >= 0) {
                    a.add(b("ENTRIESADDED"));
                    a.add(b(Long.toString(m.entriesAdded())));
                }
                if (m.maxDeletedId() != null) {
                    a.add(b("MAXDELETEDID"));
                    a.add(b(m.maxDeletedId().toString()));
                }
                send(d, key, a);
            
        } else if (batch instanceof ValueBatch.StreamGroup g) {
                List<byte[]> a = new ArrayList<>(List.of(b("XGROUP"), b("CREATE"), key, g.name(),
                        b(g.lastDeliveredId().toString())));
                if (g.entriesRead() >= 0) {
                    a.add(b("ENTRIESREAD"));
                    a.add(b(Long.toString(g.entriesRead())));
                }
                send(d, key, a);
            
        } else if (batch instanceof ValueBatch.StreamPendingEntries p) {
                Map<StreamId, ValueBatch.PendingEntry> pel = st.pel.computeIfAbsent(ByteBuffer.wrap(p.group()),
                        g -> new HashMap<>());
                for (ValueBatch.PendingEntry e : p.entries()) {
                    pel.put(e.id(), e);
                }
            
        } else if (batch instanceof ValueBatch.StreamConsumer c) {
            cmd(d, key, b("XGROUP"), b("CREATECONSUMER"), key, c.group(), c.name());

        } else if (batch instanceof ValueBatch.StreamConsumerPending cp) {
                Map<StreamId, ValueBatch.PendingEntry> pel = st.pel.getOrDefault(ByteBuffer.wrap(cp.group()), Map.of());
                for (StreamId id : cp.ids()) {
                    ValueBatch.PendingEntry pe = pel.get(id);
                    long time = pe == null ? now : pe.deliveryTimeMs();
                    long count = pe == null ? 1 : pe.deliveryCount();
                    cmd(d, key, b("XCLAIM"), key, cp.group(), cp.consumer(), b("0"), b(id.toString()), b("TIME"),
                            b(Long.toString(time)), b("RETRYCOUNT"), b(Long.toString(count)), b("FORCE"), b("JUSTID"));
                }
            
        } else if (batch instanceof ValueBatch.JsonDocument j) {
            cmd(d, key, b("JSON.SET"), key, b("$"), j.text());
        }
        // Bloom/Cuckoo/CMS/TopK/module batches: their entries are skipped at entry start
    }

    private void hashFields(EntryState st, int d, byte[] key, ValueBatch.HashFields h, long now) {
        List<byte[]> a = new ArrayList<>(h.fields().size() * 2 + 2);
        a.add(b("HSET"));
        a.add(key);
        List<Integer> withTtl = new ArrayList<>();
        for (int i = 0; i < h.fields().size(); i++) {
            long exp = h.expireAtMillis() == null ? -1 : h.expireAtMillis()[i];
            if (exp >= 0) {
                if (exp <= now) {
                    continue;
                }
                withTtl.add(i);
            }
            a.add(h.fields().get(i));
            a.add(h.values().get(i));
        }
        if (a.size() > 2) {
            send(d, key, a);
        }
        if (withTtl.isEmpty()) {
            return;
        }
        if (target.hashFieldTtl()) {
            for (int i : withTtl) {
                cmd(d, key, b("HPEXPIREAT"), key, b(Long.toString(h.expireAtMillis()[i])), b("FIELDS"), b("1"),
                        h.fields().get(i));
            }
        } else if (!st.ttlReported) {
            st.ttlReported = true;
            unsupported(key, d, "hash", UnsupportedData.REASON_FIELD_TTL);
        }
    }

    private void entryEnd(RdbEntry entry) {
        EntryState st = lookup(entry, true);
        if (st == null || st.skip || st.expirySet || !entry.hasExpiry()) {
            return;
        }
        expireAt(entry.db(), entry.key(), entry.expireAtMs());
    }

    private void expireAt(int d, byte[] key, long ms) {
        if (ms <= System.currentTimeMillis()) {
            cmd(d, key, b("DEL"), key);
        } else {
            cmd(d, key, b("PEXPIREAT"), key, b(Long.toString(ms)));
        }
    }

    // ----------------------------------------------------------------- journal

    private void global(JournalEvent ev) {
        String name = ev.command();
        if (name.equals("FLUSHALL")) {
            // every db, whichever db the client had selected: no mapping (a cluster has db 0 only)
            broadcastTo(lane.cluster() ? 0 : dbs.target(ev.db(), null, false), name, ev.args());
        } else if (name.equals("FLUSHDB")) {
            if (dbs.merged(ev.db())) {
                unsupported(b("*"), ev.db(), name, UnsupportedData.REASON_FLUSH_OF_MERGED_DB);
            } else {
                broadcast(ev.db(), name, ev.args());
            }
        } else {
            unsupported(b("*"), ev.db(), name, UnsupportedData.REASON_UNSUPPORTED_COMMAND);
        }
    }

    private void journal(JournalEvent ev) {
        List<byte[]> args = ev.args();
        if (args.isEmpty()) {
            return;
        }
        String name = ev.command();
        int d = ev.db();
        byte[] key = args.size() > 1 ? args.get(1) : null;
        switch (name) {
            case "SET" -> send(d, key, dropDragonflyTokens(args, 3));
            case "STICK" -> host.dfMaskIgnored();
            case "RESTORE" -> restore(d, dropDragonflyTokens(args, 4));
            case "SADDEX" -> {
                int i = 2;
                if (i < args.size() && eq(args.get(i), "KEEPTTL")) {
                    i++;
                }
                i++; // the TTL
                if (i < args.size()) {
                    send(d, key, with(List.of(b("SADD"), key), args.subList(i, args.size())));
                }
                unsupported(key, d, "set", UnsupportedData.REASON_MEMBER_TTL);
            }
            case "HSETEX" -> hsetex(d, key, args);
            case "FIELDEXPIRE" -> {
                if (target.hashFieldTtl() && args.size() > 3) {
                    List<byte[]> a = new ArrayList<>(List.of(b("HEXPIRE"), key, args.get(2), b("FIELDS"),
                            b(Integer.toString(args.size() - 3))));
                    a.addAll(args.subList(3, args.size()));
                    send(d, key, a);
                } else {
                    unsupported(key, d, name, UnsupportedData.REASON_FIELD_TTL);
                }
            }
            case "PREPEND" -> cmd(d, key, b("EVAL"), b(PREPEND_SCRIPT), b("1"), key, args.get(2));
            case "GAT", "CL.THROTTLE", "DFLYCLUSTER" ->
                    unsupported(key == null ? new byte[0] : key, d, name, UnsupportedData.REASON_UNSUPPORTED_COMMAND);
            default -> {
                if (name.startsWith("JSON.")) {
                    if (target.json()) {
                        send(d, key, args);
                    } else {
                        unsupported(key, d, name, UnsupportedData.REASON_NO_JSON_MODULE);
                    }
                } else if (name.startsWith("BF.") || name.startsWith("CF.") || name.startsWith("CMS.")
                        || name.startsWith("TOPK.")) {
                    if (target.bloom()) {
                        send(d, key, args);
                    } else {
                        unsupported(key, d, name, UnsupportedData.REASON_NO_BLOOM_MODULE);
                    }
                } else {
                    route(d, name, args);
                }
            }
        }
    }

    /** Drops Dragonfly-only {@code STICK} and {@code _MCFLAGS n} tokens at or after {@code from}. */
    private List<byte[]> dropDragonflyTokens(List<byte[]> args, int from) {
        List<byte[]> out = null;
        for (int i = from; i < args.size(); i++) {
            byte[] a = args.get(i);
            boolean stick = eq(a, "STICK");
            boolean mc = eq(a, "_MCFLAGS");
            if (stick || mc) {
                if (out == null) {
                    out = new ArrayList<>(args.subList(0, i));
                }
                host.dfMaskIgnored();
                if (mc) {
                    i++;
                }
            } else if (out != null) {
                out.add(a);
            }
        }
        return out == null ? args : out;
    }

    private void hsetex(int d, byte[] key, List<byte[]> args) {
        int i = 2;
        boolean nx = false;
        while (i < args.size() && (eq(args.get(i), "NX") || eq(args.get(i), "KEEPTTL"))) {
            nx |= eq(args.get(i), "NX");
            i++;
        }
        byte[] ttl = args.get(i++);
        List<byte[]> fields = new ArrayList<>();
        if (nx) {
            for (int j = i; j + 1 < args.size(); j += 2) {
                cmd(d, key, b("HSETNX"), key, args.get(j), args.get(j + 1));
                fields.add(args.get(j));
            }
        } else {
            List<byte[]> a = new ArrayList<>(List.of(b("HSET"), key));
            for (int j = i; j + 1 < args.size(); j += 2) {
                a.add(args.get(j));
                a.add(args.get(j + 1));
                fields.add(args.get(j));
            }
            send(d, key, a);
        }
        if (target.hashFieldTtl()) {
            List<byte[]> a = new ArrayList<>(List.of(b("HEXPIRE"), key, ttl, b("FIELDS"),
                    b(Integer.toString(fields.size()))));
            a.addAll(fields);
            send(d, key, a);
        } else {
            unsupported(key, d, "HSETEX", UnsupportedData.REASON_FIELD_TTL);
        }
    }

    /**
     * {@code RESTORE key ttl payload [REPLACE] [ABSTTL] [IDLETIME s] [FREQ f]}: a payload of a type and
     * RDB version the target understands is passed through (Redis verifies its CRC); anything else
     * (Dragonfly-only types, newer encodings) is decoded and written with native commands.
     */
    private void restore(int d, List<byte[]> args) {
        byte[] key = args.get(1);
        byte[] payload = args.get(3);
        int type = payload.length > 0 ? payload[0] & 0xFF : -1;
        int version = payload.length >= 10
                ? (payload[payload.length - 10] & 0xFF) | (payload[payload.length - 9] & 0xFF) << 8 : -1;
        if (target.restoreType(type) && version >= 0 && version <= target.rdbVersion()) {
            send(d, key, args);
            return;
        }
        boolean absTtl = false;
        for (int i = 4; i < args.size(); i++) {
            absTtl |= eq(args.get(i), "ABSTTL");
        }
        long ttl = Long.parseLong(new String(args.get(2), StandardCharsets.US_ASCII));
        long expireAt = ttl <= 0 ? -1 : absTtl ? ttl : System.currentTimeMillis() + ttl;
        restoreNative(d, key, payload, version, expireAt);
    }

    private void restoreNative(int d, byte[] key, byte[] payload, int version, long expireAt) {
        ByteArrayOutputStream rdb = new ByteArrayOutputStream(payload.length + 40);
        rdb.writeBytes(String.format("REDIS%04d", Math.max(1, version)).getBytes(StandardCharsets.US_ASCII));
        rdb.write(0xFE);
        rdb.writeBytes(rdbLength(d));
        if (expireAt >= 0) {
            rdb.write(0xFC);
            rdb.writeBytes(ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(expireAt).array());
        }
        rdb.write(payload[0]);
        rdb.writeBytes(rdbString(key));
        rdb.write(payload, 1, payload.length - 11);
        rdb.write(0xFF);
        rdb.writeBytes(new byte[8]);
        byte[] bytes = rdb.toByteArray();
        RdbDecoder dec = RdbDecoder.forFile(new RdbHandler() {
            @Override
            public void onEntryStart(RdbEntry entry) {
                entryStart(entry);
                if (entry.type().logicalType() == RdbType.LogicalType.STRING) {
                    return;
                }
            }

            @Override
            public void onValueBatch(RdbEntry entry, ValueBatch batch) {
                entryBatch(entry, batch);
            }

            @Override
            public void onEntryEnd(RdbEntry entry, EntrySummary summary) {
                entryEnd(entry);
            }
        });
        restoring = true;
        try {
            dec.feed(bytes, 0, bytes.length);
            dec.finish();
        } finally {
            restoring = false;
        }
    }

    private static byte[] rdbLength(long v) {
        if (v < 64) {
            return new byte[] {(byte) v};
        }
        if (v < 16384) {
            return new byte[] {(byte) (0x40 | (v >> 8)), (byte) v};
        }
        return ByteBuffer.allocate(5).put((byte) 0x80).putInt((int) v).array();
    }

    private static byte[] rdbString(byte[] s) {
        byte[] len = rdbLength(s.length);
        byte[] out = new byte[len.length + s.length];
        System.arraycopy(len, 0, out, 0, len.length);
        System.arraycopy(s, 0, out, len.length, s.length);
        return out;
    }

    // ----------------------------------------------------------------- helpers

    /** A score as Redis reads it back exactly: shortest round-trip text, {@code inf}/{@code -inf}. */
    public static String score(double d) {
        if (d == Double.POSITIVE_INFINITY) {
            return "inf";
        }
        if (d == Double.NEGATIVE_INFINITY) {
            return "-inf";
        }
        if (d == 0 && Double.doubleToRawLongBits(d) != 0) {
            return "-0";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return Double.toString(d);
    }

    private static List<byte[]> with(List<byte[]> head, List<byte[]> tail) {
        List<byte[]> a = new ArrayList<>(head.size() + tail.size());
        a.addAll(head);
        a.addAll(tail);
        return a;
    }

    private static boolean eq(byte[] a, String s) {
        return new String(a, StandardCharsets.UTF_8).equalsIgnoreCase(s);
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static final class EntryState {
        boolean skip;
        boolean ttlReported;
        boolean streamCreated;
        boolean expirySet;
        final Map<ByteBuffer, Map<StreamId, ValueBatch.PendingEntry>> pel = new HashMap<>();
    }
}
