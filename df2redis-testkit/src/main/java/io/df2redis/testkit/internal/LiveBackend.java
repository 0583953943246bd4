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

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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

    private final Config cfg;
    private final Sharding sharding;
    private final Dataset ds = new Dataset();
    private final Commands commands;
    private final Reads reads;
    private final ShardJournal[] journals;
    private final SnapshotSerializer.Settings settings;
    private final RdbEncoder plain = RdbEncoder.dragonfly();
    private final Map<Integer, LiveSession.Session> sessions = new LinkedHashMap<>();
    private final List<String> scripts = new ArrayList<>();
    /** Runs active expiry; null with {@code hz} 0. */
    private final Heartbeat heartbeat;
    private final ClientCommands clients;
    private volatile long paceBytesPerSecond;
    private volatile String masterId;
    private volatile int port;
    private int syncCounter;
    private long txidCounter;
    private LiveSession.Session lastSession;

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

    public void pace(long bytesPerSecond) {
        this.paceBytesPerSecond = bytesPerSecond;
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

    /** As {@link #write} but returns the RESP reply a client would get (an error reply on failure). */
    byte[] writeForReply(int db, List<byte[]> args) {
        synchronized (lock) {
            Plan plan = commands.execute(db, args, System.currentTimeMillis());
            journal(plan);
            return plan.reply();
        }
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
            long shardCnt = cfg.profile() == ReleaseProfile.V1_30 ? p.shardCnt() : 1;
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

    private void sendStable(LiveSession.Flow f, ShardJournal.Item item) {
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

    private void cancel(LiveSession.Session s) {
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
    protected void replconf(Conn c, List<byte[]> args) {
        if (args.size() < 2) {
            c.replyError("ERR wrong number of arguments for 'replconf' command");
            return;
        }
        if ((args.size() - 1) % 2 != 0) {
            c.replyError(Resp.SYNTAX);
            return;
        }
        int pairs = (args.size() - 1) / 2;
        for (int i = 0; i < pairs; i++) {
            String key = MasterServer.text(args.get(1 + 2 * i)).toLowerCase(Locale.ROOT);
            byte[] val = args.get(2 + 2 * i);
            switch (key) {
                case "capa":
                    if (pairs == 1 && MasterServer.text(val).equals("dragonfly")) {
                        capaDragonfly(c);
                        return;
                    }
                    break;
                case "listening-port":
                    if (!isInteger(val)) {
                        c.replyError(Resp.NOT_INTEGER);
                        return;
                    }
                    break;
                case "ip-address":
                    break;
                case "client-id":
                case "client-version": {
                    if (pairs != 1) {
                        c.replyError(Resp.SYNTAX);
                        return;
                    }
                    if (key.equals("client-version") && !isInteger(val)) {
                        c.replyError(Resp.NOT_INTEGER);
                        return;
                    }
                    synchronized (lock) {
                        LiveSession.Session s = (LiveSession.Session) c.session;
                        if (s == null) {
                            // the real master dereferences a null session here (spec §1.1)
                            c.replyError(Resp.SYNTAX);
                            return;
                        }
                        if (key.equals("client-id")) {
                            s.clientId = MasterServer.text(val);
                        } else {
                            s.clientVersion = Commands.number(val);
                        }
                    }
                    break;
                }
                case "ack": {
                    if (pairs != 1 || !isInteger(val)) {
                        c.replyError(Resp.SYNTAX);
                        return;
                    }
                    if (c.flowId >= 0) {
                        server.acks().record(c.flowId, Commands.number(val));
                    }
                    return; // never answered
                }
                default:
                    c.replyError(Resp.SYNTAX);
                    return;
            }
        }
        c.reply(Resp.OK);
    }

    private void capaDragonfly(Conn c) {
        if (server.pretendRedis()) {
            c.reply(Resp.OK);
            return;
        }
        byte[] reply;
        synchronized (lock) {
            LiveSession.Session s = new LiveSession.Session(++syncCounter, c, cfg.shards());
            sessions.put(s.number, s);
            lastSession = s;
            c.ownedSessions.add(s);
            c.session = s;
            c.syncId = s.syncId;
            String id = masterId;
            if (cfg.profile() == ReleaseProfile.V1_30) {
                reply = Resp.array(Resp.simple(id), Resp.simple(s.syncId), Resp.integer(cfg.shards()),
                        Resp.integer(cfg.profile().dflyVersion()));
            } else {
                reply = Resp.array(Resp.simple(id), Resp.simple(s.syncId), Resp.integer(cfg.shards()),
                        Resp.integer(cfg.profile().dflyVersion()), Resp.simple(id));
            }
        }
        c.reply(reply);
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

    /** Parses {@code SYNC<n>}: the session number, -1 for a malformed id. */
    static int syncNumber(byte[] arg) {
        String s = MasterServer.text(arg);
        if (!s.startsWith("SYNC") || s.length() == 4 || s.length() > 14) {
            return -1;
        }
        for (int i = 4; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return -1;
            }
        }
        long n = Long.parseLong(s.substring(4));
        return n > Integer.MAX_VALUE ? -1 : (int) n;
    }

    private LiveSession.Session lookup(Conn c, byte[] syncArg) {
        int n = syncNumber(syncArg);
        if (n < 0) {
            c.replyError(Resp.BAD_SYNC_ID);
            return null;
        }
        LiveSession.Session s = sessions.get(n);
        if (s == null) {
            c.replyError(Resp.SYNC_ID_NOT_FOUND);
        }
        return s;
    }

    @Override
    protected void flow(Conn c, List<byte[]> args) {
        int n = args.size() - 2;
        synchronized (lock) {
            if (!MasterServer.text(args.get(2)).equals(masterId)) {
                c.replyError(Resp.BAD_MASTER_ID);
                return;
            }
            if (syncNumber(args.get(3)) < 0) {
                c.replyError(Resp.BAD_SYNC_ID);
                return;
            }
            if (!isInteger(args.get(4))) {
                c.replyError(Resp.NOT_INTEGER);
                return;
            }
            long lsn = -1;
            if (n == 4) {
                if (!isInteger(args.get(5))) {
                    c.replyError(Resp.NOT_INTEGER);
                    return;
                }
                lsn = Commands.number(args.get(5));
            } else if (n == 5) {
                for (String part : MasterServer.text(args.get(6)).split("-", -1)) {
                    if (!isInteger(part.getBytes(StandardCharsets.US_ASCII))) {
                        c.replyError(Resp.NOT_INTEGER);
                        return;
                    }
                }
                // never a replica of that other master: always FULL
            }
            LiveSession.Session s = lookup(c, args.get(3));
            if (s == null) {
                return;
            }
            long flowId = Commands.number(args.get(4));
            if (flowId < 0 || flowId >= cfg.shards()) {
                c.replyError(Resp.NOT_INTEGER);
                return;
            }
            int id = (int) flowId;
            if (s.state != SessionState.PREPARATION || s.flows[id] != null || c.flowOut != null) {
                c.replyError(Resp.INVALID_STATE);
                return;
            }
            ShardJournal j = journals[id];
            boolean partial = cfg.profile().supportsPartialSync() && lsn >= 0 && j.canServe(lsn);
            j.start();
            String token = Ids.hex40();
            c.reply(Resp.array(Resp.simple(partial ? "PARTIAL" : "FULL"), Resp.simple(token)));
            FlowOutput out = bindFlow(c, id, s, s.syncId);
            s.flows[id] = new LiveSession.Flow(id, out, token, partial, lsn);
        }
    }

    @Override
    protected void sync(Conn c, List<byte[]> args) {
        synchronized (lock) {
            LiveSession.Session s = lookup(c, args.get(2));
            if (s == null) {
                return;
            }
            if (s.state != SessionState.PREPARATION || !s.allFlows()) {
                c.replyError(Resp.INVALID_STATE);
                return;
            }
            for (LiveSession.Flow f : s.flows) {
                if (f.partial) {
                    c.replyError(Resp.INVALID_STATE);
                    return;
                }
            }
            for (LiveSession.Flow f : s.flows) {
                f.out.enqueue(header(f.id));
                f.serializer = new SnapshotSerializer(settings, f.out, lock, () -> paceBytesPerSecond,
                        ds.snapshot(sharding, f.id));
                f.out.producer(f.serializer);
            }
            s.state = SessionState.FULL_SYNC;
        }
        c.reply(Resp.OK);
    }

    @Override
    protected void startStable(Conn c, List<byte[]> args) {
        synchronized (lock) {
            LiveSession.Session s = lookup(c, args.get(2));
            if (s == null) {
                return;
            }
            boolean allPartial = s.allFlows();
            if (allPartial) {
                for (LiveSession.Flow f : s.flows) {
                    allPartial &= f.partial;
                }
            }
            boolean ok = s.state == SessionState.FULL_SYNC
                    || (cfg.profile() == ReleaseProfile.V1_40 && s.state == SessionState.PREPARATION && allPartial);
            if (!ok) {
                c.replyError(Resp.INVALID_STATE);
                return;
            }
            for (LiveSession.Flow f : s.flows) {
                if (f.serializer != null) {
                    f.serializer.finish(journals[f.id].nextLsn(), f.token);
                    f.out.producer(null);
                } else {
                    List<ShardJournal.Item> items = journals[f.id].from(f.requestedLsn);
                    if (items == null) {
                        LOG.info("partial sync of flow {} failed: LSN {} left the backlog", f.id, f.requestedLsn);
                        cancel(s);
                        c.replyError("ERR Partial sync was unsuccessful because entry #" + f.requestedLsn
                                + " was dropped from the buffer");
                        return;
                    }
                    for (ShardJournal.Item it : items) {
                        sendStable(f, it);
                    }
                }
                f.stable = true;
                f.out.kick();
            }
            s.state = SessionState.STABLE_SYNC;
        }
        c.reply(Resp.OK);
    }

    /** The RDB header and AUX fields of flow {@code flow} (spec §4.3), never compressed. */
    private byte[] header(int flow) {
        return ServerInfo.header(plain, cfg.profile(), cfg.shards(), flow, scripts, ds.approxBytes());
    }

    @Override
    protected String info(String section) {
        StringBuilder keyspace = new StringBuilder();
        clients.keyspace(keyspace);
        return ServerInfo.info(section, cfg.profile(), cfg.shards(), port, stableFlows(), masterId, keyspace);
    }

    private static boolean isInteger(byte[] b) {
        if (b.length == 0 || b.length > 20) {
            return false;
        }
        try {
            Long.parseLong(new String(b, StandardCharsets.US_ASCII));
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
