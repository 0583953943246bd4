package io.df2redis.testkit.dragonfly;

import io.df2redis.testkit.CompressionMode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a scenario needs from its Dragonfly master, said once and applied to either kind: the
 * {@link io.df2redis.testkit.EmbeddedDragonflyMaster}'s builder, or a real binary's command-line
 * flags ({@code --proactor_threads}, {@code --compression_mode}, {@code --requirepass},
 * {@code --tls*}, {@code --shard_repl_backlog_len}, {@code --serialization_max_chunk_size}).
 * Immutable; {@link #builder()} and {@link #mutate()} make new ones.
 */
public final class DragonflySpec {
    private final int shards;
    private final CompressionMode compression;
    private final String password;
    private final String aclUser;
    private final String aclPassword;
    private final Path tlsCert;
    private final Path tlsKey;
    private final int backlogLength;
    private final int chunkSize;
    private final long snapshotEgressLimit;

    private DragonflySpec(Builder b) {
        this.shards = b.shards;
        this.compression = b.compression;
        this.password = b.password;
        this.aclUser = b.aclUser;
        this.aclPassword = b.aclPassword;
        this.tlsCert = b.tlsCert;
        this.tlsKey = b.tlsKey;
        this.backlogLength = b.backlogLength;
        this.chunkSize = b.chunkSize;
        this.snapshotEgressLimit = b.snapshotEgressLimit;
    }

    /** A builder with Dragonfly's defaults: 2 shards, LZ4, no password, no TLS. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this spec's values. */
    public Builder mutate() {
        Builder b = new Builder();
        b.shards = shards;
        b.compression = compression;
        b.password = password;
        b.aclUser = aclUser;
        b.aclPassword = aclPassword;
        b.tlsCert = tlsCert;
        b.tlsKey = tlsKey;
        b.backlogLength = backlogLength;
        b.chunkSize = chunkSize;
        b.snapshotEgressLimit = snapshotEgressLimit;
        return b;
    }

    /** Shards ({@code --proactor_threads}), and so replication flows. */
    public int shards() {
        return shards;
    }

    /** {@code --compression_mode}. */
    public CompressionMode compression() {
        return compression;
    }

    /** {@code --requirepass}, or null. */
    public String password() {
        return password;
    }

    /** An ACL user created for replication, or null. */
    public String aclUser() {
        return aclUser;
    }

    /** The ACL user's password, or null. */
    public String aclPassword() {
        return aclPassword;
    }

    /** Whether the master serves TLS only. */
    public boolean tls() {
        return tlsCert != null;
    }

    /** PEM certificate the master serves with TLS, or null. */
    public Path tlsCert() {
        return tlsCert;
    }

    /** PEM private key of {@link #tlsCert()}, or null. */
    public Path tlsKey() {
        return tlsKey;
    }

    /** {@code --shard_repl_backlog_len}, or -1 for the master's default. */
    public int backlogLength() {
        return backlogLength;
    }

    /** {@code --serialization_max_chunk_size} in bytes, or -1 for the master's default. */
    public int chunkSize() {
        return chunkSize;
    }

    /** {@code --snapshot_egress_limit_bytes}: snapshot bytes per second per shard, or 0 for unlimited. */
    public long snapshotEgressLimit() {
        return snapshotEgressLimit;
    }

    /** The real binary's flags for this spec. */
    public List<String> realFlags() {
        List<String> f = new ArrayList<>();
        f.add("--proactor_threads=" + shards);
        f.add("--compression_mode=" + switch (compression) {
            case NONE -> 0;
            case LZF -> 1;
            case ZSTD -> 2;
            case LZ4 -> 3;
        });
        if (password != null) {
            f.add("--requirepass=" + password);
        }
        if (tlsCert != null) {
            f.add("--tls");
            f.add("--tls_cert_file=" + tlsCert);
            f.add("--tls_key_file=" + tlsKey);
        }
        if (backlogLength >= 0) {
            f.add("--shard_repl_backlog_len=" + backlogLength);
        }
        if (chunkSize > 0) {
            f.add("--serialization_max_chunk_size=" + chunkSize);
        }
        if (snapshotEgressLimit > 0) {
            f.add("--snapshot_egress_limit_bytes=" + snapshotEgressLimit);
        }
        return f;
    }

    /** A short description for test names; never contains a password. */
    @Override
    public String toString() {
        return shards + " shards, " + compression + (password != null ? ", password" : "")
                + (aclUser != null ? ", ACL user" : "") + (tlsCert != null ? ", TLS" : "")
                + (backlogLength >= 0 ? ", backlog " + backlogLength : "")
                + (chunkSize > 0 ? ", chunk " + chunkSize : "")
                + (snapshotEgressLimit > 0 ? ", snapshot " + snapshotEgressLimit + " B/s" : "");
    }

    /** Builds a {@link DragonflySpec}; the order of calls does not matter. */
    public static final class Builder {
        private int shards = 2;
        private CompressionMode compression = CompressionMode.LZ4;
        private String password;
        private String aclUser;
        private String aclPassword;
        private Path tlsCert;
        private Path tlsKey;
        private int backlogLength = -1;
        private int chunkSize = -1;
        private long snapshotEgressLimit;

        private Builder() {
        }

        /** Shards, 1 to 64. */
        public Builder shards(int n) {
            if (n < 1 || n > 64) {
                throw new IllegalArgumentException("shards must be 1..64, was " + n);
            }
            this.shards = n;
            return this;
        }

        /** {@code --compression_mode}. */
        public Builder compression(CompressionMode m) {
            this.compression = Objects.requireNonNull(m);
            return this;
        }

        /** Requires {@code AUTH password} ({@code --requirepass}). */
        public Builder password(String password) {
            this.password = Objects.requireNonNull(password);
            return this;
        }

        /** Creates an ACL user with every permission; needs {@link #password} on a real master. */
        public Builder aclUser(String user, String password) {
            this.aclUser = Objects.requireNonNull(user);
            this.aclPassword = Objects.requireNonNull(password);
            return this;
        }

        /** Serves TLS only, with this PEM certificate and key. */
        public Builder tls(Path certPem, Path keyPem) {
            this.tlsCert = Objects.requireNonNull(certPem);
            this.tlsKey = Objects.requireNonNull(keyPem);
            return this;
        }

        /** {@code --shard_repl_backlog_len}: journal items kept per shard for partial sync. */
        public Builder backlogLength(int items) {
            if (items < 0) {
                throw new IllegalArgumentException("backlog length must be >= 0, was " + items);
            }
            this.backlogLength = items;
            return this;
        }

        /** {@code --serialization_max_chunk_size}: values above it are sent in chunks. */
        public Builder chunkSize(int bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("chunk size must be positive, was " + bytes);
            }
            this.chunkSize = bytes;
            return this;
        }

        /**
         * Slows the snapshot to {@code bytesPerSecond} per shard ({@code --snapshot_egress_limit_bytes}),
         * so that writes land while a full sync streams; 0 for unlimited.
         */
        public Builder snapshotEgressLimit(long bytesPerSecond) {
            if (bytesPerSecond < 0) {
                throw new IllegalArgumentException("snapshot egress limit must be >= 0, was " + bytesPerSecond);
            }
            this.snapshotEgressLimit = bytesPerSecond;
            return this;
        }

        /** The spec. */
        public DragonflySpec build() {
            return new DragonflySpec(this);
        }
    }
}
