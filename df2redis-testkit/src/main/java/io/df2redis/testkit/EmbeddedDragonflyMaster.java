package io.df2redis.testkit;

import io.df2redis.protocol.rdb.RdbKeyValue;
import io.df2redis.testkit.internal.Backend;
import io.df2redis.testkit.internal.FlowOutput;
import io.df2redis.testkit.internal.Ids;
import io.df2redis.testkit.internal.LiveBackend;
import io.df2redis.testkit.internal.MasterServer;
import io.df2redis.testkit.internal.ReplayBackend;
import io.netty.handler.ssl.SslContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An in-process Dragonfly master for tests: a Netty server on a loopback port that speaks the
 * master side of Dragonfly replication (protocol spec {@code dragonfly-replication.md}) so that a
 * replica client can be tested without a real Dragonfly.
 *
 * <p>A <b>live</b> master ({@link #builder()}) keeps a dataset (db → key → {@link RdbKeyValue}),
 * serves full syncs of it on N flows with the framing of the chosen {@link ReleaseProfile} and
 * {@link CompressionMode}, journals writes made through {@link #write} per shard with LSNs, and
 * streams them as JOURNAL_BLOBs during full sync and as the journal in stable sync. A
 * <b>replay</b> master ({@link #replay(Path)}) serves a captured case of the shared test vectors
 * byte for byte.
 *
 * <pre>{@code
 * try (EmbeddedDragonflyMaster master = EmbeddedDragonflyMaster.builder()
 *         .shards(2).profile(ReleaseProfile.V1_40).start()) {
 *     master.put(0, RdbKeyValue.of("k", RdbValue.string("v")));
 *     // ... point a replica at master.port(), wait for stable sync ...
 *     master.write("SET", "k", "v2");
 *     master.awaitAck(master.shardOf("k"), master.nextLsn(master.shardOf("k")), Duration.ofSeconds(5));
 * }
 * }</pre>
 *
 * <p>Thread-safe. Methods that need a live master throw {@link UnsupportedOperationException}
 * in replay mode.
 *
 * <p>Its settings are {@link EmbeddedDragonflyMasterBuilder}'s.
 *
 * <p><b>Why one class:</b> over 400 lines, it is the master's public surface (dataset, live
 * writes, observation and fault hooks), each method a documented delegation to the backend and
 * server behind it.
 */
public final class EmbeddedDragonflyMaster implements AutoCloseable {
    private final MasterServer server;
    private final LiveBackend live;
    private final ReplayBackend replay;
    private final ReleaseProfile profile;
    private final int shards;
    private final InetSocketAddress address;

    EmbeddedDragonflyMaster(EmbeddedDragonflyMasterBuilder b) throws IOException {
        this.server = new MasterServer(new Object(),
                new MasterServer.Auth(b.requirePass, b.aclUser, b.aclPassword), b.sslContext);
        Backend backend;
        if (b.replayDir != null) {
            this.replay = ReplayBackend.load(server, b.replayDir);
            this.live = null;
            this.profile = replay.profile();
            this.shards = replay.flowCount();
            backend = replay;
        } else {
            this.replay = null;
            this.profile = b.profile;
            this.shards = b.shards;
            boolean tagged = b.taggedChunks != null ? b.taggedChunks : b.profile.supportsTaggedChunks();
            LiveBackend.Config cfg = new LiveBackend.Config(b.profile, b.shards, b.compression, b.chunkSize, tagged,
                    b.backlogLength >= 0 ? b.backlogLength : b.profile.defaultBacklogLength(),
                    b.lsnInterval.toNanos(), b.hz);
            this.live = new LiveBackend(server, cfg, b.masterId != null ? b.masterId : Ids.hex40(), b.paceBytesPerSecond);
            for (String s : b.scripts) {
                live.loadScript(s);
            }
            backend = live;
        }
        server.backend(backend);
        this.address = server.start(b.host, b.port);
        if (live != null) {
            live.port(address.getPort());
        }
    }

    /** A builder of a live master. */
    public static EmbeddedDragonflyMasterBuilder builder() {
        return new EmbeddedDragonflyMasterBuilder();
    }

    /**
     * Starts a master that replays a captured case: a directory of
     * {@code shared/vectors/dragonfly/<release>/<case>/} holding {@code handshake.json} and
     * {@code flow-<i>.bin}, or a case with {@code session-<n>/} sub-directories (each
     * {@code REPLCONF capa dragonfly} then serves the next session). Handshake replies are the
     * captured {@code reply_raw} bytes; after {@code DFLY SYNC} each FULL flow gets its bytes up to
     * the JOURNAL_OFFSET record (or up to the compressed blob holding it), the rest at
     * {@code DFLY STARTSTABLE}; PARTIAL flows get all their bytes at {@code DFLY STARTSTABLE}.
     */
    public static EmbeddedDragonflyMaster replay(Path caseDir) {
        return builder().replay(caseDir).start();
    }

    // ------------------------------------------------------------------ identity

    /** The address the master listens on, as text (a loopback address unless the builder chose a host). */
    public String host() {
        return address.getHostString();
    }

    /** The TCP port the master listens on (chosen by the OS unless the builder set one). */
    public int port() {
        return address.getPort();
    }

    /** The socket address the master listens on: {@link #host()} and {@link #port()}. */
    public InetSocketAddress address() {
        return address;
    }

    /**
     * The Dragonfly release whose replication this master speaks (a replayed case's release in
     * replay mode).
     */
    public ReleaseProfile profile() {
        return profile;
    }

    /** Number of shards = number of flows. */
    public int shardCount() {
        return shards;
    }

    /** The current master replication id (40 hex); a new one after {@link #restart()}. */
    public String masterId() {
        return live != null ? live.masterId() : replay.masterId();
    }

    /** Whether this master replays a captured case ({@link #replay(Path)}) rather than keeping a dataset. */
    public boolean isReplay() {
        return replay != null;
    }

    // ------------------------------------------------------------------ dataset

    /**
     * Sets a key without journaling it (as if the master had loaded it). The next full sync
     * carries it; replicas in stable sync never hear of it. Small hashes/zsets and bloom filters
     * are written with the profile's types whatever type {@code kv} names (spec §4.7).
     */
    public void put(int db, RdbKeyValue kv) {
        live().put(db, Objects.requireNonNull(kv, "kv"));
    }

    /** {@link #put(int, RdbKeyValue)} in db 0. */
    public void put(RdbKeyValue kv) {
        put(0, kv);
    }

    /** {@link #put(int, RdbKeyValue)} for each of {@code kvs}, in their iteration order. */
    public void putAll(int db, Collection<RdbKeyValue> kvs) {
        for (RdbKeyValue kv : kvs) {
            put(db, kv);
        }
    }

    /** Removes a key without journaling it. */
    public boolean remove(int db, byte[] key) {
        return live().remove(db, key);
    }

    /** The key's entry in {@code db} as the master holds it now; empty when absent. */
    public Optional<RdbKeyValue> get(int db, byte[] key) {
        return Optional.ofNullable(live().get(db, key));
    }

    /** {@link #get(int, byte[])} of the key's UTF-8 bytes. */
    public Optional<RdbKeyValue> get(int db, String key) {
        return get(db, key.getBytes(StandardCharsets.UTF_8));
    }

    /** The entries of a db in insertion order (the order a full sync sends them in, per shard). */
    public List<RdbKeyValue> entries(int db) {
        return live().entries(db);
    }

    /** The non-empty dbs, ascending. */
    public List<Integer> dbs() {
        return live().dbs();
    }

    /** Removes every key without journaling. */
    public void clear() {
        live().clear();
    }

    /** Caches a Lua script: flow 0 sends its body as an AUX {@code lua} field. */
    public void loadScript(String body) {
        live().loadScript(body);
    }

    /**
     * The shard (= flow) a key lives on: XXH64 of the whole key modulo the shard count, as
     * Dragonfly outside cluster mode ({@code {hash tags}} do not count).
     */
    public int shardOf(byte[] key) {
        return live().sharding().shardOf(key);
    }

    /** {@link #shardOf(byte[])} of the key's UTF-8 bytes. */
    public int shardOf(String key) {
        return shardOf(key.getBytes(StandardCharsets.UTF_8));
    }

    // ------------------------------------------------------------------ live writes

    /**
     * Executes a write command in {@code db} as a client would and journals it per shard the way
     * the profile's Dragonfly release does: the string, key, list, set, hash, sorted-set, stream,
     * consumer-group, HyperLogLog, JSON, Bloom/CMS/Top-K/Cuckoo commands with their rewrites
     * (protocol spec §5.7, §12; e.g. {@code SET … EX} → {@code SET … PXAT}, {@code SPOP} →
     * {@code SREM}, cross-shard {@code RENAME} → {@code DEL} + {@code RESTORE}, {@code PFMERGE} →
     * {@code SET}, {@code XREADGROUP} → {@code XCLAIM}s), multi-key commands split per shard with
     * one shared txid, global commands on every shard, and {@code EVAL}/{@code EVALSHA} as the
     * script's writes under one txid. A command this master does not know is journaled verbatim
     * on the shard of its first argument without changing the dataset. Shards whose journal has
     * not started (no {@code DFLY FLOW} since start/restart) journal nothing.
     *
     * @return the txid given to the journal entries (0 for single-shard single-hop commands)
     * @throws IllegalArgumentException for a malformed or failing command (message = the error
     *                                  text); an expiry it caused is journaled all the same
     * @throws IllegalStateException for WRONGTYPE
     */
    public long write(int db, List<byte[]> args) {
        if (args.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        return live().write(db, args);
    }

    /** {@link #write(int, List)} of the arguments' UTF-8 bytes. */
    public long write(int db, String... args) {
        List<byte[]> a = new ArrayList<>(args.length);
        for (String s : args) {
            a.add(s.getBytes(StandardCharsets.UTF_8));
        }
        return write(db, a);
    }

    /** {@link #write(int, String...)} in db 0. */
    public long write(String... args) {
        return write(0, args);
    }

    /**
     * Expires a key now: removes it and journals the expiry (EXPIRED {@code DEL key} on v1.30,
     * COMMAND {@code DEL key} on v1.40, txid 0).
     *
     * @return false if the key did not exist
     */
    public boolean expire(int db, String key) {
        return live().expire(db, key.getBytes(StandardCharsets.UTF_8));
    }

    /** Journals a PING on every started shard, asking replicas for an immediate ACK (like WAIT). */
    public void ping() {
        live().ping();
    }

    /** The LSN the next journal item of {@code shard} gets (0 while its journal is not started). */
    public long nextLsn(int shard) {
        return live().nextLsn(shard);
    }

    /** The LSN of the last journal item of {@code shard} (0 if none). */
    public long lastLsn(int shard) {
        return Math.max(0, nextLsn(shard) - 1);
    }

    /** What {@code DFLY REPLICAOFFSET} answers: the next LSN of every shard. */
    public long[] replicaOffsets() {
        long[] out = new long[shards];
        for (int i = 0; i < shards; i++) {
            out[i] = nextLsn(i);
        }
        return out;
    }

    // ------------------------------------------------------------------ observability

    /** Every connection accepted so far, with the commands it sent. */
    public List<ConnectionRecord> connections() {
        return server.records();
    }

    /** The last {@code REPLCONF ACK} value received on flow {@code flow}, or -1. */
    public long lastAck(int flow) {
        return server.acks().last(flow);
    }

    /** All ACK values of the newest connection of flow {@code flow}, in order. */
    public List<Long> acks(int flow) {
        return server.acks().all(flow);
    }

    /** Waits until flow {@code flow} ACKed at least {@code lsn}; false on timeout. */
    public boolean awaitAck(int flow, long lsn, Duration timeout) {
        try {
            return server.acks().await(flow, lsn, timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The state of the newest session, or null if none was created. */
    public SessionState sessionState() {
        return live != null ? live.sessionState() : replay.sessionState();
    }

    /** The state of session {@code syncId} (e.g. {@code "SYNC1"}), or null if unknown. */
    public SessionState sessionState(String syncId) {
        return live().sessionState(syncId);
    }

    /** Waits until the newest session reaches {@code state}; false on timeout. */
    public boolean awaitSessionState(SessionState state, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (sessionState() != state) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ fault hooks

    /**
     * Closes flow {@code flow}'s connection after it has carried {@code bytes} bytes of
     * replication stream (counted after the FLOW reply). Applies to the current connection of
     * that flow, or else to the next one; one-shot.
     */
    public void dropFlowAfterBytes(int flow, long bytes) {
        server.armDrop(flow, bytes, flowOutput(flow));
    }

    /** Stops writing to flow {@code flow} for {@code duration} (now, or from its next connection); one-shot. */
    public void stallFlow(int flow, Duration duration) {
        server.armStall(flow, duration.toNanos(), flowOutput(flow));
    }

    /**
     * Limits how fast snapshots are produced, in bytes per second per flow (0 = unlimited), so a
     * test can write while a full sync is in progress. {@code DFLY STARTSTABLE} still completes
     * the snapshot at once. May be changed during a snapshot, and applies at once: a test can hold
     * a full sync back while it looks at it, then release it ({@code 0}). The pace counts from the
     * start of each flow's snapshot, so a slower pace set mid-snapshot may pause it for a while.
     */
    public void paceSnapshot(long bytesPerSecond) {
        live().pace(bytesPerSecond);
    }

    /** Answers the next {@code count} DFLY commands with {@code -LOADING Dragonfly is loading the dataset in memory}. */
    public void replyLoading(int count) {
        server.loadingReplies(count);
    }

    /**
     * Answers the next {@code DFLY <subcommand>} (e.g. {@code STARTSTABLE}, {@code FLOW},
     * {@code SYNC}) with the error reply {@code error} (without the leading '-') instead of
     * executing it; one-shot, on whichever connection sends it first. Dragonfly itself answers, for
     * example, {@code ERR invalid state} to a {@code DFLY STARTSTABLE} or {@code DFLY SYNC} of a
     * session in the wrong state.
     *
     * @param subcommand the DFLY sub-command, case-insensitive
     * @param error the error text, e.g. {@code "ERR invalid state"}
     */
    public void failNextDfly(String subcommand, String error) {
        if (error == null || error.isEmpty() || error.contains("\r") || error.contains("\n")) {
            throw new IllegalArgumentException("an error text on one line is required");
        }
        server.armDflyFault(subcommand, error);
    }

    /**
     * Never answers the next {@code DFLY <subcommand>} and does not execute it (a hung master, to
     * test command timeouts); one-shot.
     *
     * @param subcommand the DFLY sub-command, case-insensitive
     */
    public void ignoreNextDfly(String subcommand) {
        server.armDflyFault(subcommand, "");
    }

    /**
     * Runs {@code action} on the master's connection thread just before the next
     * {@code DFLY <subcommand>} is executed (one-shot, whichever connection sends it first): for
     * example writes between {@code DFLY FLOW} and {@code DFLY SYNC} that push the LSN a PARTIAL
     * flow asked for out of the backlog (v1.34: the session then fails, "Partial sync was
     * unsuccessful…").
     *
     * @param subcommand the DFLY sub-command, case-insensitive
     * @param action what to do, e.g. {@code () -> m.write("INCR", "k")}
     */
    public void beforeNextDfly(String subcommand, Runnable action) {
        server.armDflyHook(subcommand, action);
    }

    /** When on, {@code REPLCONF capa dragonfly} answers {@code +OK} like a Redis master. */
    public void pretendRedis(boolean on) {
        server.pretendRedis(on);
    }

    /**
     * Simulates a master restart: closes every client connection, takes a new master id, stops
     * the journals (LSNs restart at 1 with the next FLOW), clears the backlog and ACKs, and
     * restarts sync ids at SYNC1. The dataset and the port are kept.
     */
    public void restart() {
        live().restart(Ids.hex40());
        server.closeClients();
    }

    /** Stops the server and closes every connection. Idempotent. */
    @Override
    public void close() {
        if (live != null) {
            live.shutdown();
        }
        server.close();
    }

    private FlowOutput flowOutput(int flow) {
        return live != null ? live.flowOutput(flow) : replay.flowOutput(flow);
    }

    private LiveBackend live() {
        if (live == null) {
            throw new UnsupportedOperationException("not available on a replay master");
        }
        return live;
    }

    @Override
    public String toString() {
        return "EmbeddedDragonflyMaster[" + (isReplay() ? "replay " : "") + profile + ", shards=" + shards + ", "
                + address + "]";
    }
}
