package io.df2redis.testkit.internal;

import io.df2redis.protocol.journal.JournalEncoder;
import io.df2redis.protocol.journal.JournalOp;
import io.df2redis.protocol.rdb.Compression;
import io.df2redis.protocol.rdb.RdbEncoder;
import io.df2redis.protocol.rdb.RdbKeyValue;
import io.df2redis.testkit.CompressionMode;
import io.df2redis.testkit.ReleaseProfile;
import io.df2redis.testkit.SessionState;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The emulated Dragonfly master: handshake (protocol spec §1, §2A, §3), sessions and their state
 * machine, the per-shard journals with LSNs and backlog (§5, §6), full sync through
 * {@link SnapshotSerializer}s (§4) and the stable-sync journal with LSN records. Client
 * connections also run write commands ({@link Commands}, with MULTI/EXEC and scripts) and read
 * commands ({@link Reads}), and {@code INFO} has a Keyspace section.
 *
 * <p>Threads: commands run on the connections' event loops, active expiry on the
 * {@code embedded-dragonfly-heartbeat} thread ({@code --hz} times a second); every piece of state
 * is guarded by the master's lock, which neither holds for longer than one command or one
 * heartbeat's expiries.
 *
 * <p><b>Why one class:</b> over 400 lines: the dataset, the per-shard journals and the sessions share one lock
 * and one life cycle; the handshake commands are {@link LiveSyncCommands}'.
 */
public final class LiveBackend extends DflyBackend {
    private static final Logger LOG = LoggerFactory.getLogger(LiveBackend.class);
    private static final long NEVER = Long.MIN_VALUE;
    /** Keys active expiry removes per heartbeat at most (the rest wait for the next one). */
    private static final int EXPIRE_PER_BEAT = 1000;

    /**
     * Settings of a live master.
     *
     * @param hz Dragonfly's {@code --hz}: heartbeats per second; active expiry runs on them (0: no
     *           heartbeat, keys only expire lazily when touched)
     */
    public record Config(ReleaseProfile profile, int shards, CompressionMode compression, int chunkSize,
                         boolean tagged, int backlogLength, long lsnIntervalNanos, int hz) {
        /** A configuration with Dragonfly's default {@code --hz} of 100. */
        public Config(ReleaseProfile profile, int shards, CompressionMode compression, int chunkSize, boolean tagged,
                      int backlogLength, long lsnIntervalNanos) {
            this(profile, shards, compression, chunkSize, tagged, backlogLength, lsnIntervalNanos, 100);
        }
    }

    final Config cfg;
    final Sharding sharding;
    final Dataset ds = new Dataset();
    private final LiveSyncCommands syncCommands = new LiveSyncCommands(this);
    private final Commands commands;
    private final Reads reads;
    final ShardJournal[] journals;
    final SnapshotSerializer.Settings settings;
    final RdbEncoder plain = RdbEncoder.dragonfly();
    final Map<Integer, LiveSession.Session> sessions = new LinkedHashMap<>();
    final List<String> scripts = new ArrayList<>();
    /** Runs active expiry; null with {@code hz} 0. */
    private final Heartbeat heartbeat;
    private final ClientCommands clients;
    /** Dragonfly's stable-sync back-pressure on writers. */
    final WriteThrottle throttle;
    /** Flow outputs the current client write left over the output limit (under the lock). */
    private final List<FlowOutput> stalledByWrite = new ArrayList<>();
    volatile long paceBytesPerSecond;
    volatile String masterId;
    private volatile int port;
    int syncCounter;
    private long txidCounter;
    LiveSession.Session lastSession;

    public LiveBackend(MasterServer server, Config cfg, String masterId, long paceBytesPerSecond) {
        super(server);
        this.cfg = cfg;
        this.masterId = masterId;
        this.paceBytesPerSecond = paceBytesPerSecond;
        this.sharding = new Sharding(cfg.shards());
        Dumps dumps = new Dumps(cfg.profile(), cfg.compression() != CompressionMode.NONE);
        this.reads = new Reads(ds, this::expireLazily, dumps);
        this.commands = new Commands(ds, sharding, cfg.profile(), dumps, scripts, reads::execute);
        this.journals = new ShardJournal[cfg.shards()];
        for (int i = 0; i < journals.length; i++) {
            journals[i] = new ShardJournal(cfg.backlogLength());
        }
        RdbEncoder entries = cfg.compression() == CompressionMode.LZF
                ? RdbEncoder.builder().lzfStrings(true).build() : RdbEncoder.dragonfly();
        Compression blobs = switch (cfg.compression()) {
            case LZ4 -> Compression.LZ4;
            case ZSTD -> Compression.ZSTD;
            default -> null;
        };
        this.settings = new SnapshotSerializer.Settings(cfg.profile(), entries, blobs, cfg.chunkSize(), cfg.tagged());
        this.throttle = new WriteThrottle(cfg.profile(), this::cancelSessionsOf);
        this.clients = new ClientCommands(this, lock, ds, reads, commands, cfg.profile());
        this.heartbeat = cfg.hz() > 0 ? new Heartbeat(cfg.hz(), this::expireActively) : null;
    }

    /** Lazy expiry: a read found {@code key} past its deadline (under the lock). */
    private void expireLazily(int db, byte[] key) {
        journal(commands.expireNow(db, key));
    }

    /**
     * Active expiry (the heartbeat's {@code DeleteExpiredStep}): removes keys past their deadline
     * and journals each removal as the release does (EXPIRED or COMMAND {@code DEL key}, txid 0).
     * Runs on the heartbeat thread, never on an event loop.
     */
    private void expireActively() {
        try {
            synchronized (lock) {
                for (Dataset.Expiry e : ds.expired(System.currentTimeMillis(), EXPIRE_PER_BEAT)) {
                    journal(commands.expireNow(e.db(), e.key().bytes()));
                }
            }
        } catch (RuntimeException ex) {
            LOG.warn("active expiry failed", ex);
        }
    }

    public void port(int port) {
        this.port = port;
    }

    public Sharding sharding() {
        return sharding;
    }

    public String masterId() {
        return masterId;
    }

    /** Changes the snapshot pace and wakes every flow, so that a faster pace (or 0) applies at once. */
    public void pace(long bytesPerSecond) {
        this.paceBytesPerSecond = bytesPerSecond;
        List<FlowOutput> outs = new ArrayList<>();
        synchronized (lock) {
            for (LiveSession.Session s : sessions.values()) {
                for (var f : s.flows) {
                    if (f != null) {
                        outs.add(f.out);
                    }
                }
            }
        }
        outs.forEach(FlowOutput::kick);
    }

    // ------------------------------------------------------------------ dataset API

    public void put(int db, RdbKeyValue kv) {
        synchronized (lock) {
            ds.put(db, kv);
        }
    }

    public RdbKeyValue get(int db, byte[] key) {
        synchronized (lock) {
            return ds.get(db, new ByteKey(key));
        }
    }

    public boolean remove(int db, byte[] key) {
        synchronized (lock) {
            return ds.remove(db, new ByteKey(key)) != null;
        }
    }

    public List<RdbKeyValue> entries(int db) {
        synchronized (lock) {
            return ds.entries(db);
        }
    }

    public List<Integer> dbs() {
        synchronized (lock) {
            return ds.dbs();
        }
    }

    public void clear() {
        synchronized (lock) {
            ds.clear();
        }
    }

    public void loadScript(String body) {
        synchronized (lock) {
            scripts.add(body);
        }
    }

    // ------------------------------------------------------------------ writes

    /**
     * Executes a write command: applies it to the dataset and journals it. Returns the txid.
     *
     * @throws IllegalArgumentException or IllegalStateException (WRONGTYPE) when the command
     *                                  fails; what it journaled before failing (a lazy expiry) stays
     */
    public long write(int db, List<byte[]> args) {
        synchronized (lock) {
            Plan plan = Scripts.NAMES.contains(Commands.upper(args.get(0)))
                    ? commands.script(db, args, System.currentTimeMillis())
                    : commands.execute(db, args, System.currentTimeMillis());
            long txid = journal(plan);
            if (plan.error() != null) {
                throw plan.error();
            }
            return txid;
        }
    }

    /**
     * As {@link #write} but for client {@code c}: returns the RESP reply it gets (an error reply on
     * failure) and leaves in {@code c.stalled} the flow outputs the write left over their limit.
     */
    /** The number of shards (Dragonfly's default: one per thread). */
    int shards() {
        return cfg.shards();
    }

    byte[] writeForReply(Conn c, int db, List<byte[]> args) {
        synchronized (lock) {
            Plan plan = commands.execute(db, args, System.currentTimeMillis());
            journalFor(c, plan);
            return plan.reply();
        }
    }

    /**
     * Journals a client's plan (under the lock), leaving in {@code c.stalled} the flow outputs it
     * left at or over the output limit ({@link WriteThrottle}).
     */
    long journalFor(Conn c, Plan plan) {
        stalledByWrite.clear();
        long txid = journal(plan);
        c.stalled = stalledByWrite.isEmpty() ? List.of() : List.copyOf(stalledByWrite);
        stalledByWrite.clear();
        return txid;
    }

    public boolean expire(int db, byte[] key) {
        synchronized (lock) {
            Plan plan = commands.expireNow(db, key);
            journal(plan);
            return !plan.parts().isEmpty();
        }
    }

    /** A journal PING on every started shard (what WAIT and TAKEOVER do). */
    public void ping() {
        synchronized (lock) {
            byte[] item = JournalEncoder.item(0, JournalOp.PING, 0, 0, List.of());
            for (int s = 0; s < journals.length; s++) {
                if (journals[s].started()) {
                    deliver(s, journals[s].append(item), 0, Set.of(), false);
                }
            }
        }
    }

    /** Journals a plan's entries: one txid for all (0 unless a transaction), expiry entries txid 0. */
    long journal(Plan plan) {
        if (plan.parts().isEmpty()) {
            return 0;
        }
        long txid = plan.tx() ? ++txidCounter : 0;
        for (Plan.Part p : plan.parts()) {
            ShardJournal j = journals[p.shard()];
            if (!j.started()) {
                continue;
            }
            long shardCnt = cfg.profile().journalsRealShardCount() ? p.shardCnt() : 1;
            byte[] item = JournalEncoder.item(p.db(), p.op(), p.expiry() ? 0 : txid, shardCnt, p.args());
            deliver(p.shard(), j.append(item), p.db(), p.keys(), p.allDbs());
        }
        return txid;
    }

    private void deliver(int shard, ShardJournal.Item item, int db, Set<ByteKey> keys, boolean allDbs) {
        for (LiveSession.Session s : sessions.values()) {
            LiveSession.Flow f = s.flows[shard];
            if (f == null) {
                continue;
            }
            if (f.stable) {
                sendStable(f, item);
            } else if (f.serializer != null) {
                f.serializer.onJournal(item.bytes(), db, keys, allDbs);
            }
            // registered flows that did not start yet: a FULL snapshot will include the write,
            // a PARTIAL flow replays it from the backlog at STARTSTABLE
        }
    }

    void sendStable(LiveSession.Flow f, ShardJournal.Item item) {
        long now = System.nanoTime();
        if (f.lastLsnRecordNanos == NEVER || now - f.lastLsnRecordNanos >= cfg.lsnIntervalNanos()) {
            ByteBuf b = Unpooled.buffer(item.bytes().length + 10);
            b.writeBytes(item.bytes());
            JournalEncoder.writeLsn(b, item.lsn());
            f.lastLsnRecordNanos = now;
            byte[] a = new byte[b.readableBytes()];
            b.readBytes(a);
            f.out.enqueue(a);
        } else {
            f.out.enqueue(item.bytes());
        }
        if (f.out.stalled(throttle.outputLimit()) && !stalledByWrite.contains(f.out)) {
            stalledByWrite.add(f.out);
        }
    }

    /** Cancels the sessions that {@code outs} stream for (a writer waited {@code replication_timeout}). */
    private void cancelSessionsOf(List<FlowOutput> outs) {
        synchronized (lock) {
            for (LiveSession.Session s : new ArrayList<>(sessions.values())) {
                for (LiveSession.Flow f : s.flows) {
                    if (f != null && outs.contains(f.out)) {
                        cancel(s);
                        break;
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ observability

    public long nextLsn(int shard) {
        synchronized (lock) {
            return journals[shard].nextLsn();
        }
    }

    public SessionState sessionState() {
        synchronized (lock) {
            return lastSession == null ? null : lastSession.state;
        }
    }

    public SessionState sessionState(String syncId) {
        synchronized (lock) {
            for (LiveSession.Session s : sessions.values()) {
                if (s.syncId.equals(syncId)) {
                    return s.state;
                }
            }
            if (lastSession != null && lastSession.syncId.equals(syncId)) {
                return lastSession.state;
            }
            return null;
        }
    }

    /** The current flow output of flow {@code id} in the newest session that has it, or null. */
    public FlowOutput flowOutput(int id) {
        synchronized (lock) {
            FlowOutput found = null;
            for (LiveSession.Session s : sessions.values()) {
                if (s.flows[id] != null) {
                    found = s.flows[id].out;
                }
            }
            return found;
        }
    }

    // ------------------------------------------------------------------ lifecycle

    /** Restart: a new master id, sessions cancelled, journals stopped (LSNs restart at 1), backlog cleared. */
    public void restart(String newMasterId) {
        synchronized (lock) {
            cancelAll();
            masterId = newMasterId;
            for (ShardJournal j : journals) {
                j.reset();
            }
            syncCounter = 0;
            txidCounter = 0;
            server.acks().clear();
        }
    }

    @Override
    public void shutdown() {
        if (heartbeat != null) {
            heartbeat.close();
        }
        synchronized (lock) {
            cancelAll();
        }
    }

    private void cancelAll() {
        for (LiveSession.Session s : new ArrayList<>(sessions.values())) {
            cancel(s);
        }
    }

    @Override
    public void onClose(Conn c) {
        synchronized (lock) {
            for (Object o : c.ownedSessions) {
                cancel((LiveSession.Session) o);
            }
            if (c.flowSession != null) {
                cancel((LiveSession.Session) c.flowSession);
            }
        }
    }

    void cancel(LiveSession.Session s) {
        if (s.state == SessionState.CANCELLED) {
            return;
        }
        LOG.debug("cancelling session {}", s.syncId);
        s.state = SessionState.CANCELLED;
        sessions.remove(s.number);
        for (LiveSession.Flow f : s.flows) {
            if (f != null) {
                f.out.close();
            }
        }
    }

    // ------------------------------------------------------------------ commands

    @Override
    protected void otherCommand(Conn c, String name, List<byte[]> args) {
        clients.handle(c, name, args);
    }

    int stableFlows() {
        synchronized (lock) {
            int n = 0;
            for (LiveSession.Session s : sessions.values()) {
                if (s.state == SessionState.STABLE_SYNC) {
                    n++;
                }
            }
            return n;
        }
    }



    @Override
    protected long[] replicaOffsets(Conn c) {
        long[] offs = new long[cfg.shards()];
        synchronized (lock) {
            for (int i = 0; i < offs.length; i++) {
                offs[i] = journals[i].nextLsn();
            }
        }
        return offs;
    }







    @Override
    protected void replconf(Conn c, List<byte[]> args) {
        syncCommands.replconf(c, args);
    }

    @Override
    protected void flow(Conn c, List<byte[]> args) {
        syncCommands.flow(c, args);
    }

    @Override
    protected void sync(Conn c, List<byte[]> args) {
        syncCommands.sync(c, args);
    }

    @Override
    protected void startStable(Conn c, List<byte[]> args) {
        syncCommands.startStable(c, args);
    }

    @Override
    protected String info(String section) {
        StringBuilder keyspace = new StringBuilder();
        clients.keyspace(keyspace);
        return ServerInfo.info(section, cfg.profile(), cfg.shards(), port, stableFlows(), masterId, keyspace);
    }

}
