package io.df2redis.sink.redis;

import io.df2redis.protocol.resp.ArrayReply;
import io.df2redis.protocol.resp.ErrorReply;
import io.df2redis.protocol.resp.RespReplies;
import io.df2redis.protocol.resp.RespReply;
import io.df2redis.replica.Checkpoint;
import io.df2redis.replica.CheckpointStore;
import io.df2redis.replica.CheckpointStoreException;
import io.df2redis.sink.redis.internal.CheckpointFields;
import io.df2redis.sink.redis.internal.ClusterCheckpointKeys;
import io.df2redis.sink.redis.internal.SlotCheckpoints;
import io.df2redis.sink.redis.internal.TargetConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The {@link RedisSink}'s checkpoint store: the replication position lives in the target itself,
 * in a hash ({@code df2redis:checkpoint} by default, in the db the sink's endpoint names), and is
 * updated in the same {@code MULTI … EXEC} transaction as the writes it covers. Get it with
 * {@link RedisSink#checkpointStore()} and give it to {@code Replicator.builder().checkpointStore(…)}.
 *
 * <p><b>Exactly once.</b> Every journal entry the sink writes in stable sync is applied together
 * with the new position of its flow ({@code lsn:<flow>}), or not at all; so whatever stops the
 * replicator (a {@code kill -9}, a lost connection while a transaction was in flight), the target
 * holds exactly the entries below the positions it records, and a replicator started again resumes
 * there with a partial sync and applies nothing twice and nothing less. The store is
 * {@linkplain #exact() exact}: the replicator reads it again before every session.
 *
 * <p><b>A target that lost data</b> loses the checkpoint with it (a restart without persistence,
 * a {@code FLUSHALL}, another server): {@link #load()} then finds none and the replicator runs a
 * full sync — no {@code run_id} comparison is needed, which also lets a target that restarted
 * <em>with</em> its data (RDB/AOF) be resumed: its data and its checkpoint are from the same moment.
 *
 * <p><b>Layout.</b> A header ({@code master}, {@code flows}, {@code release}, {@code protocol},
 * {@code state}, {@code saved}) written by the replicator's checkpoint saves, and {@code lsn:<flow>}
 * fields written by the sink's transactions. A save of a position (the timer, the end of a session)
 * writes the header and sets a flow's {@code lsn:} only if it is missing (a flow that has not
 * written anything yet): the transactions' values are never lowered. A save when a full sync starts
 * deletes the hash and records that a full sync is in progress (the flush that follows removes it
 * anyway). The full-sync target policy does not count this hash as a key the target holds.
 *
 * <p><b>Redis Cluster.</b> A cluster runs a transaction only within one slot, so there each slot has
 * its own checkpoint hash, {@code df2redis:checkpoint:{<tag>}} (a hash tag of that slot), updated in
 * the transaction of the slot's writes; the header hash holds the header and the replicator's own
 * confirmed position per flow, written by {@link #save}. On resume the flows restart from the
 * header's positions and every entry a slot's hash says the slot already holds is not applied there
 * again ({@link SlotCheckpoints}). Every slot holds a hash from the first checkpoint of a stable
 * sync on (they move with their slots in a resharding): when {@link #load()} finds one missing, a
 * node lost data (a restart without persistence, a failover to a replica that was behind, a flush),
 * and it returns no checkpoint: the replicator runs a full sync.
 *
 * <p><b>Limits.</b> Entries the replicator does not hand to the sink (skipped by a journal
 * handler, PINGs) do not move the target's position; a restart goes over them again. On a cluster,
 * a command without a key (none of Dragonfly's data commands) is applied at least once. Nobody else
 * may write the checkpoint keys.
 *
 * <p>Thread ownership: the replicator calls {@link #load}, {@link #save} and {@link #clear} one at a
 * time (see {@link CheckpointStore}); they are synchronized anyway and share one lazily opened
 * connection ({@code conn}, guarded by this object's lock). {@code header} is volatile, read by the
 * flows' global-command transactions.
 */
public final class TargetCheckpointStore implements CheckpointStore {
    /** The checkpoint hash's default name. */
    public static final String DEFAULT_KEY = "df2redis:checkpoint";

    private static final Logger LOG = LoggerFactory.getLogger(TargetCheckpointStore.class);

    private final String key;
    private final int db;
    private final String where;
    private final Supplier<TargetConnection> connector;
    private final Duration timeout;
    private final ClusterCheckpointKeys cluster;
    private TargetConnection conn;
    private boolean slotsComplete;
    private volatile List<String> header = List.of();

    TargetCheckpointStore(String key, int db, String where, Supplier<TargetConnection> connector, Duration timeout) {
        this(key, db, where, connector, timeout, null);
    }

    /** A store in a Redis Cluster when {@code cluster} is set (then {@code connector} is unused). */
    TargetCheckpointStore(String key, int db, String where, Supplier<TargetConnection> connector, Duration timeout,
                          ClusterCheckpointKeys cluster) {
        this.key = key;
        this.db = db;
        this.where = where;
        this.connector = connector;
        this.timeout = timeout;
        this.cluster = cluster;
    }

    /** @return the name of the checkpoint hash in the target */
    public String key() {
        return key;
    }

    /** @return the db the hash is in (the one the sink's endpoint names) */
    public int db() {
        return db;
    }

    /** @return true: the position is written atomically with the data it covers */
    @Override
    public boolean exact() {
        return true;
    }

    /**
     * Reads the checkpoint hash ({@code HGETALL}).
     *
     * @return the checkpoint, or empty when the target holds none (never had one, lost its data, or
     *     the last full sync did not reach stable sync)
     * @throws CheckpointStoreException when the target cannot be read or the hash is not a checkpoint
     */
    @Override
    public synchronized Optional<Checkpoint> load() {
        RespReply r = call("HGETALL", key);
        if (!(r instanceof ArrayReply a) || a.size() % 2 != 0) {
            throw new CheckpointStoreException(this + ": HGETALL answered " + r + "; is the key a hash df2redis "
                    + "wrote? Delete it (or start with --fresh) to run a full sync");
        }
        Map<String, String> h = new LinkedHashMap<>();
        for (int i = 0; i < a.size(); i += 2) {
            h.put(RespReplies.text(a.get(i)), RespReplies.text(a.get(i + 1)));
        }
        CheckpointFields.Parsed p;
        try {
            p = CheckpointFields.parse(h);
        } catch (RuntimeException e) {
            throw new CheckpointStoreException(this + " is not a checkpoint df2redis can read (" + e.getMessage()
                    + "); delete it (or start with --fresh) to run a full sync", e);
        }
        if (p.checkpoint().isEmpty()) {
            LOG.info("{}: {}", this, p.note());
        }
        if (cluster != null && p.checkpoint().filter(Checkpoint::resumable).isPresent()
                && !loadSlots(p.checkpoint().get().flowCount())) {
            return Optional.empty();
        }
        p.checkpoint().filter(Checkpoint::resumable).ifPresent(c -> header = CheckpointFields.header(c));
        return p.checkpoint();
    }

    /** Reads every slot's hash; false (logged) when some slot has none: a node lost data. */
    private boolean loadSlots(int flows) {
        long[][] table = cluster.read(flows);
        int missing = 0;
        int example = -1;
        for (int s = 0; s < table.length; s++) {
            if (table[s] == null) {
                missing++;
                example = example < 0 ? s : example;
            }
        }
        if (missing > 0) {
            slotsComplete = false;
            LOG.warn("{}: {} of {} slots hold no checkpoint (e.g. slot {}): a node lost data since the checkpoint "
                    + "was written (restarted without persistence, failed over to a replica that was behind, or was "
                    + "flushed); not resuming: a full sync follows", this, missing, table.length, example);
            return false;
        }
        cluster.slots().positions(table);
        slotsComplete = true;
        return true;
    }

    /**
     * Saves a checkpoint: with positions, the header and any flow position the target does not
     * have yet ({@code HSETNX}); without (a full sync starts), deletes the hash and records the
     * full sync. One {@code MULTI … EXEC}.
     *
     * @throws CheckpointStoreException when the target did not confirm it
     */
    @Override
    public synchronized void save(Checkpoint checkpoint) {
        List<String> h = CheckpointFields.header(checkpoint);
        List<List<String>> cmds = new ArrayList<>();
        if (!checkpoint.resumable()) {
            cmds.add(List.of("DEL", key));
            if (cluster != null) {
                cluster.deleteAll();
                cluster.slots().clearPositions();
                slotsComplete = false;
            }
        } else if (cluster != null && !slotsComplete) {
            cluster.create(checkpoint.nextLsns()); // before the header says "stable"
            slotsComplete = true;
        }
        List<String> hset = new ArrayList<>(List.of("HSET", key));
        hset.addAll(h);
        cmds.add(hset);
        for (int i = 0; i < checkpoint.nextLsns().size(); i++) {
            // standalone: the transactions write the positions, a save only fills a missing one;
            // cluster: the header's positions are the replicator's confirmed ones, written here only
            cmds.add(List.of(cluster == null ? "HSETNX" : "HSET", key, CheckpointFields.lsnField(i),
                    Long.toString(checkpoint.nextLsns().get(i))));
        }
        transaction(cmds);
        header = checkpoint.resumable() ? h : List.of();
    }

    /**
     * Deletes the checkpoint hash: the next replicator runs a full sync.
     *
     * @throws CheckpointStoreException when the target did not confirm it
     */
    @Override
    public synchronized void clear() {
        if (cluster != null) {
            cluster.deleteAll();
            cluster.slots().clearPositions();
            slotsComplete = false;
        }
        RespReply r = call("DEL", key);
        if (r instanceof ErrorReply e) {
            throw new CheckpointStoreException(this + ": DEL failed: " + e.message());
        }
        header = List.of();
    }

    /**
     * Whether the target holds the hash now ({@code EXISTS}).
     *
     * @return true when it does
     * @throws CheckpointStoreException when the target cannot be asked
     */
    public synchronized boolean exists() {
        RespReply r = call("EXISTS", key);
        return !(r instanceof ErrorReply) && "1".equals(RespReplies.text(r));
    }

    /**
     * How many keys of the target are this store's (not data a full-sync target policy protects):
     * the hash when it exists, and on a cluster the slots' hashes.
     *
     * @return the count
     * @throws CheckpointStoreException when the target cannot be asked
     */
    public synchronized long ownKeys() {
        long n = exists() ? 1 : 0;
        if (cluster != null) {
            n += cluster.count();
        }
        return n;
    }

    /** The header of the last checkpoint with positions loaded or saved ({@code field value …}), or empty. */
    List<String> header() {
        return header;
    }

    /** The slots' checkpoints of a cluster target, or null for a standalone one. */
    SlotCheckpoints slots() {
        return cluster == null ? null : cluster.slots();
    }

    /** Closes the store's connection (the sink's close). */
    synchronized void close() {
        if (cluster != null) {
            cluster.close();
        }
        if (conn != null) {
            conn.close();
            conn = null;
        }
    }

    /** {@code the checkpoint hash 'df2redis:checkpoint' in Redis 127.0.0.1:6379}; never a password. */
    @Override
    public String toString() {
        return "the checkpoint hash '" + key + "' in " + where;
    }

    private void transaction(List<List<String>> cmds) {
        if (cluster != null) {
            check(cluster.transaction(cmds));
            return;
        }
        expectOk(call("MULTI"), "MULTI");
        for (List<String> c : cmds) {
            RespReply q = call(c.toArray(String[]::new));
            if (q instanceof ErrorReply e) {
                call("DISCARD");
                throw new CheckpointStoreException(this + ": " + c.get(0) + " refused: " + e.message());
            }
        }
        check(call("EXEC"));
    }

    private void check(RespReply r) {
        if (!(r instanceof ArrayReply a)) {
            throw new CheckpointStoreException(this + ": EXEC answered " + r);
        }
        for (RespReply x : a.elements()) {
            if (x instanceof ErrorReply e) {
                throw new CheckpointStoreException(this + ": the target refused the checkpoint (" + e.message()
                        + "); is the key a hash df2redis wrote?");
            }
        }
    }

    private void expectOk(RespReply r, String what) {
        if (r instanceof ErrorReply e) {
            throw new CheckpointStoreException(this + ": " + what + " refused: " + e.message());
        }
    }

    private RespReply call(String... args) {
        if (cluster != null) {
            return cluster.call(args);
        }
        try {
            if (conn == null || !conn.isActive()) {
                if (conn != null) {
                    conn.close();
                }
                conn = connector.get();
            }
            return conn.call(timeout, args);
        } catch (CheckpointStoreException e) {
            throw e;
        } catch (RuntimeException e) {
            if (conn != null) {
                conn.close();
                conn = null;
            }
            throw new CheckpointStoreException(this + " could not be reached: " + e.getMessage(), e);
        }
    }
}
