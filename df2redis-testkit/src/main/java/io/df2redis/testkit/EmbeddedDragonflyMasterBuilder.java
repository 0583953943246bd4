package io.df2redis.testkit;

import io.netty.handler.ssl.SslContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Settings of an {@link EmbeddedDragonflyMaster} ({@link EmbeddedDragonflyMaster#builder()});
 * {@link #start()} binds it. Every setter validates its value; the call order does not matter.
 * Not thread-safe.
 */
public final class EmbeddedDragonflyMasterBuilder {
    int shards = 1;
    ReleaseProfile profile = ReleaseProfile.V1_40;
    CompressionMode compression = CompressionMode.LZ4;
    int chunkSize = 64 * 1024;
    Boolean taggedChunks;
    String requirePass;
    String aclUser;
    String aclPassword;
    SslContext sslContext;
    int backlogLength = -1;
    Duration lsnInterval = Duration.ofSeconds(3);
    int hz = 100;
    long paceBytesPerSecond;
    String host = "127.0.0.1";
    int port;
    String masterId;
    final List<String> scripts = new ArrayList<>();
    Path replayDir;

    EmbeddedDragonflyMasterBuilder() {
    }

    /** Number of shards = flows, 1..1024 (default 1). */
    public EmbeddedDragonflyMasterBuilder shards(int n) {
        if (n < 1 || n > 1024) {
            throw new IllegalArgumentException("shards must be 1..1024: " + n);
        }
        this.shards = n;
        return this;
    }

    /** The release to imitate (default {@link ReleaseProfile#V1_40}). */
    public EmbeddedDragonflyMasterBuilder profile(ReleaseProfile p) {
        this.profile = Objects.requireNonNull(p);
        return this;
    }

    /** {@code --compression_mode} (default {@link CompressionMode#LZ4}, Dragonfly's default). */
    public EmbeddedDragonflyMasterBuilder compression(CompressionMode m) {
        this.compression = Objects.requireNonNull(m);
        return this;
    }

    /** {@code --serialization_max_chunk_size}: split containers bigger than this (default 64 KiB; 0 = never). */
    public EmbeddedDragonflyMasterBuilder chunkSize(int bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("chunk size must be >= 0");
        }
        this.chunkSize = bytes;
        return this;
    }

    /** {@code --serialization_tagged_chunks} (default: on for v1.40, off for v1.30, which cannot have it). */
    public EmbeddedDragonflyMasterBuilder taggedChunks(boolean on) {
        this.taggedChunks = on;
        return this;
    }

    /** Password of the default user: every connection must {@code AUTH} first. */
    public EmbeddedDragonflyMasterBuilder requirePass(String password) {
        this.requirePass = password;
        return this;
    }

    /**
     * An ACL user ({@code AUTH user password}). With an ACL user configured every connection
     * must authenticate, as that user or (if {@link #requirePass} is set) as the default user.
     */
    public EmbeddedDragonflyMasterBuilder aclUser(String user, String password) {
        this.aclUser = Objects.requireNonNull(user);
        this.aclPassword = Objects.requireNonNull(password);
        return this;
    }

    /** Serve TLS with this Netty server context. */
    public EmbeddedDragonflyMasterBuilder sslContext(SslContext ctx) {
        this.sslContext = ctx;
        return this;
    }

    /** {@code --shard_repl_backlog_len}: journal items kept per shard for partial sync (default per profile). */
    public EmbeddedDragonflyMasterBuilder backlogLength(int items) {
        if (items < 0) {
            throw new IllegalArgumentException("backlog length must be >= 0");
        }
        this.backlogLength = items;
        return this;
    }

    /**
     * {@code --hz}: heartbeats per second (default 100, Dragonfly's). Active expiry runs on the
     * heartbeat: a key past its deadline is deleted and its DEL journaled within about
     * {@code 1000 / hz} ms even if nothing touches it. 0 turns the heartbeat off, as in
     * Dragonfly: keys then expire only lazily, when a command touches them.
     */
    public EmbeddedDragonflyMasterBuilder hz(int perSecond) {
        if (perSecond < 0) {
            throw new IllegalArgumentException("hz must be >= 0");
        }
        this.hz = perSecond;
        return this;
    }

    /** Minimum time between LSN records in stable sync (default 3 s; the first item always gets one). */
    public EmbeddedDragonflyMasterBuilder lsnInterval(Duration d) {
        this.lsnInterval = Objects.requireNonNull(d);
        return this;
    }

    /** Initial snapshot pacing in bytes/s per flow (default 0 = unlimited); see {@link #paceSnapshot}. */
    public EmbeddedDragonflyMasterBuilder paceSnapshot(long bytesPerSecond) {
        this.paceBytesPerSecond = bytesPerSecond;
        return this;
    }

    /** Bind address (default 127.0.0.1). */
    public EmbeddedDragonflyMasterBuilder host(String host) {
        this.host = Objects.requireNonNull(host);
        return this;
    }

    /** Port (default 0 = a free port). */
    public EmbeddedDragonflyMasterBuilder port(int port) {
        this.port = port;
        return this;
    }

    /** A fixed initial master id (40 lowercase hex; default random). */
    public EmbeddedDragonflyMasterBuilder masterId(String id) {
        if (!id.matches("[0-9a-f]{40}")) {
            throw new IllegalArgumentException("master id must be 40 lowercase hex chars");
        }
        this.masterId = id;
        return this;
    }

    /** A cached Lua script (AUX {@code lua} on flow 0). */
    public EmbeddedDragonflyMasterBuilder script(String body) {
        this.scripts.add(Objects.requireNonNull(body));
        return this;
    }

    /** Replay a captured case instead of emulating ({@link EmbeddedDragonflyMaster#replay}). */
    public EmbeddedDragonflyMasterBuilder replay(Path caseDir) {
        this.replayDir = Objects.requireNonNull(caseDir);
        return this;
    }

    /** Starts the master. */
    public EmbeddedDragonflyMaster start() {
        if (replayDir == null && Boolean.TRUE.equals(taggedChunks) && !profile.supportsTaggedChunks()) {
            throw new IllegalArgumentException(profile + " has no tagged chunks");
        }
        try {
            return new EmbeddedDragonflyMaster(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
