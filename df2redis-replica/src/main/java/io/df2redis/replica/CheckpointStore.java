package io.df2redis.replica;

import java.util.Optional;

/**
 * Where a {@link Replicator} keeps its {@link Checkpoint}, so that a replicator started later (after
 * a deploy, a crash, an OOM kill) resumes with a partial sync instead of a full one. Set it with
 * {@link Replicator.Builder#checkpointStore(CheckpointStore)}.
 *
 * <p><b>What the replicator does with it.</b> {@link #load()} once, before the first session. A
 * resumable checkpoint of the same master (same replication id and flow count) whose release
 * supports it makes the first session ask for a partial sync from its LSNs. {@link #save} is
 * called only with positions the listener and the sink confirmed: every
 * {@link ReplicatorOptions#checkpointInterval()} while the session is in stable sync (only when the
 * position changed), when a session ends (after its outstanding sink writes settled), on
 * {@code stop()}/{@code close()} after the final drain, and — with a checkpoint without LSNs — right
 * before a full sync starts (before the sink is told to empty its target), so that a crash during a
 * full sync forces a new full sync.
 *
 * <p><b>Contract.</b> {@link #load()} returns the checkpoint of the last successful {@link #save},
 * or, when that one was lost or damaged, an earlier one — but never one saved before a checkpoint
 * without LSNs (a full sync started since: resuming from an older position over a target that was
 * emptied would lose data). An earlier checkpoint only makes the replicator deliver entries again
 * (at-least-once). A store that cannot tell must return empty. A {@code save} that returns has made
 * the checkpoint durable.
 *
 * <p><b>Threads.</b> The replicator never calls a store concurrently: {@code load} runs on its
 * supervisor thread ({@code df2redis-supervisor}); {@code save} on the supervisor thread (session
 * end, full-sync start), on its checkpoint thread ({@code df2redis-checkpoint}, the timer) or on its
 * close thread ({@code df2redis-close}), serialized by the replicator. Never on a Netty event loop,
 * so implementations may block (write and fsync a file, wait for a network round trip). A store
 * shared with other code must be thread-safe itself. The replicator does not close or clear a store.
 *
 * <p><b>Failures.</b> Implementations throw {@link CheckpointStoreException} (or any runtime
 * exception) saying which store and what to do. A failed {@code load} stops the replicator
 * (FAILED) before it connects; a failed periodic or final {@code save} is logged at WARN and the
 * previous checkpoint stays (more entries are delivered again after a restart); a failed save of the
 * full-sync-start checkpoint stops the replicator (FAILED) before the target is emptied, since a
 * restart could otherwise resume over an incomplete snapshot.
 */
public interface CheckpointStore {

    /**
     * Reads the checkpoint to resume from.
     *
     * @return the last saved checkpoint (or an earlier one, see the class contract), or empty when
     *     there is none or none that can be trusted
     * @throws CheckpointStoreException when the store cannot be read at all (e.g. an I/O error)
     */
    Optional<Checkpoint> load();

    /**
     * Durably replaces the stored checkpoint; when this returns, {@link #load()} — also in another
     * process after a crash — returns it (or, after damage, an earlier one as the class contract
     * allows).
     *
     * @param checkpoint the new checkpoint
     * @throws CheckpointStoreException when it could not be made durable
     */
    void save(Checkpoint checkpoint);

    /**
     * Whether this store's position is the target's own: written in the same transaction as the
     * writes it covers (e.g. {@code RedisSink.checkpointStore()}), so that it says exactly what the
     * target applied — also after a write whose outcome the replicator never learnt (a target
     * connection lost while a transaction was in flight). The replicator then reads the store again
     * before every session, not only the first, and resumes from what it says instead of from its own
     * in-memory position, which could only repeat such a write. The default is false (a store written
     * after the fact, like {@link FileCheckpointStore}: at-least-once).
     *
     * @return true for a store kept atomically with the target's data
     */
    default boolean exact() {
        return false;
    }

    /**
     * Forgets every stored checkpoint: the next replicator starts with a full sync. For hosts that
     * want a fresh start (e.g. a {@code --fresh} option); the replicator never calls it.
     *
     * @throws CheckpointStoreException when the checkpoint could not be removed
     */
    void clear();
}
