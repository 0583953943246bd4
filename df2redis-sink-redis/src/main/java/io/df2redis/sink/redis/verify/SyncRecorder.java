package io.df2redis.sink.redis.verify;

import io.df2redis.protocol.rdb.RdbEntry;
import io.df2redis.replica.MasterInfo;
import io.df2redis.replica.ReplicationSink;
import io.df2redis.replica.SinkEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link ReplicationSink} decorator that records, from a sync's snapshot events, a bounded
 * digest of every key — type, element count, expiry and a 64-bit hash of the value in a
 * canonical form (order-independent for sets, hashes, sorted sets, stream groups and pending
 * entries) — and passes every event on to the wrapped sink (if any). {@link Verifier#verify(SyncRecorder)}
 * then reads each recorded key from the target, canonicalises and hashes it, and reports keys
 * whose digest differs.
 *
 * <p>Memory: up to {@link Builder#memoryKeys} digests are held in memory; beyond that they are
 * appended to a temporary file ({@link Builder#spillDirectory}), or — with spilling disabled,
 * or above {@link Builder#maxKeys} — counted as {@linkplain #notRecorded() not recorded}.
 *
 * <p>Live writes: every key a journal command touches (and every db a FLUSHDB/FLUSHALL/SWAPDB
 * touches) is remembered in a fixed-size bit filter; at verification such keys are not compared
 * with their snapshot digest but reported as changed by live writes and compared against the
 * source instead (when the {@link Verifier} has one). The filter may name a few untouched keys
 * too (false positives), which only sends them to the live comparison; it never misses one.
 * Keys that exist only because of live writes are not in the digest: the live comparison
 * ({@link Verifier#verify()}) covers them.
 *
 * <p>Thread ownership: thread-safe; the replicator calls {@link #apply} from one thread per flow.
 * {@code open} (digests under construction) is a concurrent map, each entry used by its flow's
 * thread only; {@code memory}, the spill state, the counters and {@code liveWrites} are guarded by
 * {@code lock}. Closing closes the wrapped sink when it is owned, and deletes the spill file.
 */
public final class SyncRecorder implements ReplicationSink {
    private static final Logger LOG = LoggerFactory.getLogger(SyncRecorder.class);

    private final ReplicationSink delegate;
    private final boolean ownsDelegate;
    private final int memoryKeys;
    private final long maxKeys;
    private final Path spillDirectory;
    private final LiveWriteFilter liveWrites;
    private final Map<RdbEntry, PendingDigest> open = new ConcurrentHashMap<>();

    private final Object lock = new Object();
    private final List<KeyDigest> memory = new ArrayList<>();
    private Path spillFile;
    private DataOutputStream spill;
    private long spilled;
    private long recorded;
    private long notRecorded;

    private SyncRecorder(Builder b) {
        this.delegate = b.delegate;
        this.ownsDelegate = b.ownsDelegate;
        this.memoryKeys = b.memoryKeys;
        this.maxKeys = b.maxKeys;
        this.spillDirectory = b.spillDirectory;
        this.liveWrites = new LiveWriteFilter(b.filterBits);
    }

    /**
     * A recorder without a wrapped sink (every stage completes at once).
     *
     * @return a builder of such a recorder
     */
    public static Builder builder() {
        return new Builder(null, false);
    }

    /**
     * A recorder in front of {@code sink}, which it closes when it is closed.
     *
     * @param sink the sink every event is passed on to, after it was recorded
     * @return a builder of such a recorder
     */
    public static Builder wrapping(ReplicationSink sink) {
        return new Builder(Objects.requireNonNull(sink, "sink"), true);
    }

    @Override
    public void open(MasterInfo master) {
        if (delegate != null) {
            delegate.open(master);
        }
    }

    @Override
    public CompletionStage<Void> apply(SinkEvent event) {
        record(event);
        return delegate != null ? delegate.apply(event) : CompletableFuture.completedFuture(null);
    }

    private void record(SinkEvent event) {
        if (event instanceof SinkEvent.EntryBatch b) {
            PendingDigest p = open.get(b.entry());
            if (p != null) {
                p.accept(b.batch());
            }
        } else if (event instanceof SinkEvent.EntryStart s) {
            open.put(s.entry(), new PendingDigest(s.entry()));
        } else if (event instanceof SinkEvent.EntryEnd e) {
            PendingDigest p = open.remove(e.entry());
            if (p != null) {
                store(p.finish());
            }
        } else if (event instanceof SinkEvent.Journal j) {
            synchronized (lock) {
                liveWrites.touch(j.event());
            }
        } else if (event instanceof SinkEvent.GlobalCommand g) {
            synchronized (lock) {
                liveWrites.touch(g.event());
            }
        } else if (event instanceof SinkEvent.FullSyncStart) {
            reset();
        }
    }

    /**
     * Snapshot keys whose digest was recorded.
     *
     * @return the count since the last full sync started
     */
    public long recorded() {
        synchronized (lock) {
            return recorded;
        }
    }

    /**
     * Snapshot keys seen but not recorded (over {@link Builder#maxKeys}, or over the memory budget
     * without spilling).
     *
     * @return the count since the last full sync started
     */
    public long notRecorded() {
        synchronized (lock) {
            return notRecorded;
        }
    }

    /** Whether a live write may have changed the key since its snapshot (may err towards yes, never towards no). */
    boolean maybeChanged(int db, byte[] key) {
        synchronized (lock) {
            return liveWrites.maybeChanged(db, key);
        }
    }

    /** The recorded digests, spilled ones first (a snapshot: digests recorded later are not included). */
    Iterator<KeyDigest> digests() {
        List<KeyDigest> tail;
        long fileRecords;
        Path file;
        synchronized (lock) {
            tail = new ArrayList<>(memory);
            fileRecords = spilled;
            file = spillFile;
            if (spill != null) {
                try {
                    spill.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        if (fileRecords == 0) {
            return tail.iterator();
        }
        return new Iterator<>() {
            private DataInputStream in;
            private long read;
            private final Iterator<KeyDigest> rest = tail.iterator();

            @Override
            public boolean hasNext() {
                if (read < fileRecords) {
                    return true;
                }
                close();
                return rest.hasNext();
            }

            @Override
            public KeyDigest next() {
                if (read >= fileRecords) {
                    close();
                    return rest.next();
                }
                try {
                    if (in == null) {
                        in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
                    }
                    read++;
                    return KeyDigest.read(in);
                } catch (IOException e) {
                    close();
                    throw new UncheckedIOException("cannot read the digest spill file " + file, e);
                }
            }

            private void close() {
                if (in != null) {
                    try {
                        in.close();
                    } catch (IOException ignored) {
                        // read-only stream
                    }
                    in = null;
                }
            }
        };
    }

    private void store(KeyDigest d) {
        synchronized (lock) {
            if (recorded >= maxKeys) {
                notRecorded++;
                return;
            }
            if (memory.size() >= memoryKeys) {
                if (spillDirectory == null) {
                    notRecorded++;
                    return;
                }
                try {
                    if (spill == null) {
                        Files.createDirectories(spillDirectory);
                        spillFile = Files.createTempFile(spillDirectory, "df2redis-digest-", ".bin");
                        spillFile.toFile().deleteOnExit();
                        spill = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(spillFile), 1 << 16));
                        LOG.info("sync digest above {} keys in memory: spilling to {}", memoryKeys, spillFile);
                    }
                    for (KeyDigest m : memory) {
                        m.write(spill);
                    }
                    spilled += memory.size();
                    memory.clear();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot spill the sync digest to " + spillDirectory, e);
                }
            }
            memory.add(d);
            recorded++;
        }
    }

    private void reset() {
        synchronized (lock) {
            open.clear();
            memory.clear();
            closeSpill();
            spilled = 0;
            recorded = 0;
            notRecorded = 0;
            liveWrites.reset();
        }
    }

    private void closeSpill() {
        if (spill != null) {
            try {
                spill.close();
                Files.deleteIfExists(spillFile);
            } catch (IOException e) {
                LOG.warn("cannot delete the digest spill file {}: {}", spillFile, e.toString());
            }
            spill = null;
            spillFile = null;
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            closeSpill();
            spilled = 0;
        }
        if (ownsDelegate) {
            delegate.close();
        }
    }

    /** Options of a {@link SyncRecorder}. */
    public static final class Builder {
        private final ReplicationSink delegate;
        private boolean ownsDelegate;
        private int memoryKeys = 200_000;
        private long maxKeys = Long.MAX_VALUE;
        private Path spillDirectory = Path.of(System.getProperty("java.io.tmpdir"));
        private long filterBits = 1L << 24;

        private Builder(ReplicationSink delegate, boolean owns) {
            this.delegate = delegate;
            this.ownsDelegate = owns;
        }

        /**
         * Whether closing the recorder closes the wrapped sink (default: true for {@link #wrapping}).
         *
         * @param close true to close the wrapped sink with the recorder (ignored without one)
         * @return this builder
         */
        public Builder closeDelegate(boolean close) {
            this.ownsDelegate = close && delegate != null;
            return this;
        }

        /**
         * Digests held in memory before spilling (default 200 000; about 100 bytes plus the key each).
         *
         * @param keys the budget, positive
         * @return this builder
         */
        public Builder memoryKeys(int keys) {
            if (keys < 1) {
                throw new IllegalArgumentException("memoryKeys must be positive");
            }
            this.memoryKeys = keys;
            return this;
        }

        /**
         * Digests recorded at most; further keys are counted as not recorded (default: no limit).
         *
         * @param keys the limit, not negative
         * @return this builder
         */
        public Builder maxKeys(long keys) {
            if (keys < 0) {
                throw new IllegalArgumentException("maxKeys must not be negative");
            }
            this.maxKeys = keys;
            return this;
        }

        /**
         * Where digests above the memory budget go (default: java.io.tmpdir); null disables spilling.
         *
         * @param dir the directory of the spill file, or null
         * @return this builder
         */
        public Builder spillDirectory(Path dir) {
            this.spillDirectory = dir;
            return this;
        }

        /**
         * Size of the live-write filter in bits (default 2^24, i.e. 2 MiB); larger means fewer false positives.
         *
         * @param bits the size, 64 to 2^34
         * @return this builder
         */
        public Builder liveWriteFilterBits(long bits) {
            if (bits < 64 || bits > (1L << 34)) {
                throw new IllegalArgumentException("liveWriteFilterBits must be in 64..2^34");
            }
            this.filterBits = bits;
            return this;
        }

        /**
         * The recorder.
         *
         * @return a new recorder with these settings
         */
        public SyncRecorder build() {
            return new SyncRecorder(this);
        }
    }
}
