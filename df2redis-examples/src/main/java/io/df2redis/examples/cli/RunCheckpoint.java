package io.df2redis.examples.cli;

import io.df2redis.replica.Checkpoint;
import io.df2redis.replica.CheckpointStore;
import io.df2redis.replica.CheckpointStoreException;
import io.df2redis.replica.FileCheckpointStore;
import io.df2redis.sink.redis.RedisSink;
import io.df2redis.sink.redis.TargetCheckpointStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The checkpoint of {@code replicate}: by default the target's own ({@link TargetCheckpointStore},
 * exactly once, bound to the run's sink with {@link #bind}), or with {@code --checkpoint FILE} a
 * {@link FileCheckpointStore} at FILE (at least once). The CLI reads it once before the replicator starts — the pre-flight checks and the replicator's first
 * session then judge the same checkpoint — and that can be set aside for this run
 * ({@code --fresh}, or a checkpoint the pre-flight checks found unusable), in which case the
 * replicator starts without one and runs a full sync. It remembers the outcome of the last save
 * for the summary.
 *
 * <p>Threads: {@link #setAside} and {@link #clearForFresh()} run on the CLI's thread before the
 * replicator starts (its start orders them before the replicator's calls); {@link #initial()} is
 * synchronized (the CLI thread reads the file, the replicator's threads get the same result);
 * {@link #load()}, {@link #save} run on the replicator's threads, never concurrently (the
 * {@link CheckpointStore} contract); {@link #lastSaveFailure()} is read after the replicator
 * closed. Fields written by the replicator's threads are volatile.
 */
final class RunCheckpoint implements CheckpointStore {
    // the file store, or null until bound for the target's store (CLI thread, before the replicator starts)
    private CheckpointStore store;
    private String where;
    private final boolean fresh;
    // guarded by this (read once, normally on the CLI thread before the replicator starts)
    private Optional<Checkpoint> initial;
    // CLI thread before the replicator starts
    private String setAside;
    // replicator threads, read by any thread
    private volatile boolean handedOut;
    private volatile String lastSaveFailure;

    private RunCheckpoint(CheckpointStore store, String where, boolean fresh) {
        this.store = store;
        this.where = where;
        this.fresh = fresh;
    }

    /**
     * The target's own checkpoint (the default of {@code replicate} into a standalone Redis), used
     * once {@link #bind bound} to the run's sink.
     *
     * @param fresh whether {@code --fresh} was given
     * @return the unbound checkpoint
     */
    static RunCheckpoint inTarget(boolean fresh) {
        return new RunCheckpoint(null, null, fresh);
    }

    /**
     * Binds an {@link #inTarget} checkpoint to the run's sink (CLI thread, before anything reads it);
     * does nothing for a file.
     *
     * @param sink the run's sink (a standalone Redis)
     */
    void bind(RedisSink sink) {
        if (store == null) {
            TargetCheckpointStore t = sink.checkpointStore();
            store = t;
            where = "'" + t.key() + "' in the target";
        }
    }

    /**
     * Checks the path: FILE may not exist yet, but must not be a directory, and its directory must
     * exist (it is created) and be writable — a full sync cannot start without saving there.
     *
     * @param file the {@code --checkpoint} value
     * @param fresh whether {@code --fresh} was given
     * @return the checkpoint file
     * @throws CliException (exit 2) naming the option and the path
     */
    static RunCheckpoint open(Path file, boolean fresh) {
        Path abs = file.toAbsolutePath().normalize();
        if (Files.isDirectory(abs)) {
            throw new CliException(Df2RedisCli.USAGE, "--checkpoint " + file + ": is a directory; give a file name");
        }
        Path dir = abs.getParent();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new CliException(Df2RedisCli.USAGE, "--checkpoint " + file + ": cannot create its directory " + dir
                    + " (" + e + ")");
        }
        if (!Files.isWritable(dir)) {
            throw new CliException(Df2RedisCli.USAGE, "--checkpoint " + file + ": the directory " + dir
                    + " is not writable");
        }
        return new RunCheckpoint(new FileCheckpointStore(abs), abs.toString(), fresh);
    }

    /**
     * The checkpoint's own keys when it is in the target (the hash, and a cluster's per-slot hashes):
     * not data a target policy protects (CLI thread, pre-flight).
     *
     * @return {@code {db, count}}, or empty (a file, or no key)
     */
    Optional<long[]> ownKeys() {
        if (store instanceof TargetCheckpointStore t) {
            long n = t.ownKeys();
            return n > 0 ? Optional.of(new long[] {t.db(), n}) : Optional.empty();
        }
        return Optional.empty();
    }

    /** @return where the checkpoint is, for messages: the file, or {@code in the target (hash …)} */
    String where() {
        return where;
    }

    /** @return whether {@code --fresh} was given */
    boolean fresh() {
        return fresh;
    }

    /**
     * The checkpoint this run starts from, read once: empty with {@code --fresh}, without a file,
     * or when neither the file nor its previous copy verifies (the store logs a WARN naming them).
     *
     * @return the checkpoint, or empty
     * @throws CliException (exit 1) when the file exists but cannot be read
     */
    synchronized Optional<Checkpoint> initial() {
        if (initial == null) {
            if (fresh) {
                initial = Optional.empty();
            } else {
                try {
                    initial = store.load();
                } catch (CheckpointStoreException e) {
                    throw new CliException(Df2RedisCli.FAILURE, "--checkpoint: " + e.getMessage());
                }
            }
        }
        return initial;
    }

    /**
     * Keeps the replicator from resuming from the {@link #initial()} checkpoint in this run: it
     * starts without one (a full sync; its start replaces the checkpoint).
     *
     * @param reason why, for the messages
     */
    void setAside(String reason) {
        this.setAside = reason;
    }

    /** @return why the checkpoint is set aside in this run, or null */
    String setAsideReason() {
        return setAside;
    }

    /**
     * {@code --fresh}: removes FILE and its previous copy (after the pre-flight checks passed, so that
     * a refused run keeps them).
     *
     * @return whether there was a file to remove
     * @throws CliException (exit 1) when they cannot be removed
     */
    boolean clearForFresh() {
        try {
            boolean existed = store instanceof FileCheckpointStore f
                    ? Files.exists(f.file()) || Files.exists(f.previousFile())
                    : store.load().isPresent();
            store.clear();
            return existed;
        } catch (CheckpointStoreException e) {
            throw new CliException(Df2RedisCli.FAILURE, "--fresh: " + e.getMessage());
        }
    }

    /**
     * The replicator's read: the first time the {@link #initial()} checkpoint (empty when set aside
     * or {@code --fresh}), then the file's.
     */
    @Override
    public Optional<Checkpoint> load() {
        if (!handedOut) {
            handedOut = true;
            return setAside != null ? Optional.empty() : initial();
        }
        return store.load();
    }

    /** Saves to the file; remembers a failure (rethrown: the replicator logs it and keeps going). */
    @Override
    public void save(Checkpoint checkpoint) {
        try {
            store.save(checkpoint);
            lastSaveFailure = null;
        } catch (RuntimeException e) {
            lastSaveFailure = e.getMessage();
            throw e;
        }
    }

    /** {@inheritDoc} */
    @Override
    public boolean exact() {
        return store.exact();
    }

    /** Removes the checkpoint (the file and its previous copy). */
    @Override
    public void clear() {
        store.clear();
    }

    /** @return the message of the last save if it failed, else null */
    String lastSaveFailure() {
        return lastSaveFailure;
    }

    @Override
    public String toString() {
        return store.toString();
    }
}
