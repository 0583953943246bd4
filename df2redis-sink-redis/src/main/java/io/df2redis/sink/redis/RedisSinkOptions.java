package io.df2redis.sink.redis;

import io.df2redis.protocol.client.RespClientOptions;
import io.df2redis.sink.redis.internal.Throttle;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Immutable settings of a {@link RedisSink}: credentials, TLS, pipelining, timeouts, the
 * policies for keys already in the target and for data Redis cannot hold, db mapping and cluster
 * limits. Build with {@link #builder()}, derive changed options with {@link #mutate()}. The builder
 * is a normal mutable builder: every setter validates its value (an
 * {@link IllegalArgumentException}, never a silent correction) and returns the same builder;
 * combinations are checked by {@link Builder#build()}, so the call order does not matter. The
 * target's address is not part of the options: see {@link RedisEndpoint}.
 *
 * <p>{@link #toString()} never shows the password.
 *
 * <p>Why one class: an immutable options object and its builder, one accessor, one setter and one
 * validation per option, in Lettuce's style; more than half of it is the Javadoc of those options.
 */
public final class RedisSinkOptions {
    /** The defaults (see each setter of {@link Builder}). */
    public static final RedisSinkOptions DEFAULTS = builder().build();

    private final String user;
    private final String password;
    private final boolean tls;
    private final SslContext sslContext;
    private final boolean verifyHostname;
    private final int maxInFlight;
    private final Duration connectTimeout;
    private final Duration replyTimeout;
    private final UnsupportedDataPolicy unsupportedDataPolicy;
    private final UnsupportedDataCallback callback;
    private final EventLoopGroup eventLoopGroup;
    private final int ioThreads;
    private final FullSyncTargetPolicy fullSyncTargetPolicy;
    private final KeyConflictPolicy keyConflictPolicy;
    private final int maxRecordedSkips;
    private final Map<Integer, Integer> databaseMapping;
    private final KeyFilter keyFilter;
    private final int maxRedirects;
    private final Duration clusterRetryTimeout;
    private final long maxOpsPerSecond;
    private final long maxBytesPerSecond;

    private RedisSinkOptions(Builder b) {
        user = b.user;
        password = b.password;
        tls = b.tls;
        sslContext = b.sslContext;
        verifyHostname = b.verifyHostname;
        maxInFlight = b.maxInFlight;
        connectTimeout = b.connectTimeout;
        replyTimeout = b.replyTimeout;
        unsupportedDataPolicy = b.unsupportedDataPolicy;
        keyFilter = b.keyFilter;
        callback = b.callback;
        eventLoopGroup = b.eventLoopGroup;
        ioThreads = b.ioThreads;
        fullSyncTargetPolicy = b.fullSyncTargetPolicy;
        keyConflictPolicy = b.keyConflictPolicy;
        maxRecordedSkips = b.maxRecordedSkips;
        databaseMapping = Map.copyOf(b.databaseMapping);
        maxRedirects = b.maxRedirects;
        clusterRetryTimeout = b.clusterRetryTimeout;
        maxOpsPerSecond = b.maxOpsPerSecond;
        maxBytesPerSecond = b.maxBytesPerSecond;
    }

    /** A builder with the {@link #DEFAULTS}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these options, to derive changed options from (these stay as they are). */
    public Builder mutate() {
        Builder b = new Builder();
        b.user = user;
        b.password = password;
        b.tls = tls;
        b.sslContext = sslContext;
        b.verifyHostname = verifyHostname;
        b.maxInFlight = maxInFlight;
        b.connectTimeout = connectTimeout;
        b.replyTimeout = replyTimeout;
        b.unsupportedDataPolicy = unsupportedDataPolicy;
        b.keyFilter = keyFilter;
        b.callback = callback;
        b.eventLoopGroup = eventLoopGroup;
        b.ioThreads = ioThreads;
        b.fullSyncTargetPolicy = fullSyncTargetPolicy;
        b.keyConflictPolicy = keyConflictPolicy;
        b.maxRecordedSkips = maxRecordedSkips;
        b.databaseMapping = new HashMap<>(databaseMapping);
        b.maxRedirects = maxRedirects;
        b.clusterRetryTimeout = clusterRetryTimeout;
        b.maxOpsPerSecond = maxOpsPerSecond;
        b.maxBytesPerSecond = maxBytesPerSecond;
        return b;
    }

    /** The ACL user of {@code AUTH user password}, or null. */
    public String user() {
        return user;
    }

    /** Whether a password is set (it is only ever sent in {@code AUTH}). */
    public boolean hasPassword() {
        return password != null;
    }

    /** The password, for {@code AUTH} only: package-private so that it does not leak through the API. */
    String password() {
        return password;
    }

    /** Whether connections use TLS. */
    public boolean tls() {
        return tls;
    }

    /** The TLS client context, or null for the JVM's default trust (when {@link #tls()}). */
    public SslContext sslContext() {
        return sslContext;
    }

    /** Whether a TLS server certificate must name the host connected to (default true). */
    public boolean verifyHostname() {
        return verifyHostname;
    }

    /** Commands written but not yet answered, per connection (default 1024). */
    public int maxInFlight() {
        return maxInFlight;
    }

    /** Connect (TCP, TLS, AUTH) timeout (default 10 s). */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** How long outstanding commands may see no reply before the connection is declared dead (default 5 min). */
    public Duration replyTimeout() {
        return replyTimeout;
    }

    /** What to do with data Redis cannot hold (default {@link UnsupportedDataPolicy#FAIL}). */
    public UnsupportedDataPolicy unsupportedDataPolicy() {
        return unsupportedDataPolicy;
    }

    /** The callback of {@link UnsupportedDataPolicy#CALLBACK}, or null. */
    public UnsupportedDataCallback unsupportedDataCallback() {
        return callback;
    }

    /** The host's event loop group (not shut down by the sink), or null for the sink's own. */
    public EventLoopGroup eventLoopGroup() {
        return eventLoopGroup;
    }

    /** Threads of the sink's own event loop group (default 2). */
    public int ioThreads() {
        return ioThreads;
    }

    /** What a full sync does with keys the target holds (default {@link FullSyncTargetPolicy#REFUSE_NON_EMPTY}). */
    public FullSyncTargetPolicy fullSyncTargetPolicy() {
        return fullSyncTargetPolicy;
    }

    /** What an upsert full sync does with a snapshot key the target holds (default {@link KeyConflictPolicy#OVERWRITE}). */
    public KeyConflictPolicy keyConflictPolicy() {
        return keyConflictPolicy;
    }

    /** How many unsupported keys {@link RedisSinkStats#skipped()} keeps (default 10 000). */
    public int maxRecordedSkips() {
        return maxRecordedSkips;
    }

    /** Source db to target db ({@link Builder#mapDatabase}); unmodifiable. */
    public Map<Integer, Integer> databaseMapping() {
        return databaseMapping;
    }

    /** Which keys are written, under which names (default {@link KeyFilter#all()}). */
    public KeyFilter keyFilter() {
        return keyFilter;
    }

    /** How often one cluster command may be redirected before failing (default 16). */
    public int maxRedirects() {
        return maxRedirects;
    }

    /** How long a cluster command may keep being refused before it fails (default 60 s). */
    public Duration clusterRetryTimeout() {
        return clusterRetryTimeout;
    }

    /** Commands per second into the target, all connections of the sink together; 0 (default): no limit. */
    public long maxOpsPerSecond() {
        return maxOpsPerSecond;
    }

    /** Bytes (RESP-encoded commands) per second into the target, all connections together; 0 (default): no limit. */
    public long maxBytesPerSecond() {
        return maxBytesPerSecond;
    }

    /**
     * The target for messages and logs, never with credentials: {@code Redis 10.0.0.1:6379 db 2
     * (tls, user app, password set)} or {@code Redis Cluster a:7000,b:7000 (…)}.
     *
     * @param endpoint where the sink writes
     * @return the description
     */
    public String describe(RedisEndpoint endpoint) {
        return endpoint.describeWith(this);
    }

    /** The options, never the password. */
    @Override
    public String toString() {
        return "RedisSinkOptions{" + (tls ? (verifyHostname ? "tls, " : "tls without host-name check, ") : "")
                + (user != null ? "user " + user + ", " : "") + (password != null ? "password set, " : "")
                + "fullSyncTargetPolicy " + fullSyncTargetPolicy
                + (keyConflictPolicy == KeyConflictPolicy.OVERWRITE ? "" : ", keyConflictPolicy " + keyConflictPolicy)
                + ", unsupportedDataPolicy " + unsupportedDataPolicy + (databaseMapping.isEmpty() ? "" : ", mapDatabase " + databaseMapping)
                + (keyFilter.passesAll() ? "" : ", " + keyFilter) + ", maxInFlight " + maxInFlight
                + (maxOpsPerSecond > 0 ? ", maxOpsPerSecond " + maxOpsPerSecond : "")
                + (maxBytesPerSecond > 0 ? ", maxBytesPerSecond " + maxBytesPerSecond : "") + "}";
    }

    /**
     * Mutable builder of {@link RedisSinkOptions}. Every setter validates its argument and returns
     * this builder; {@link #build()} checks combinations. Not thread-safe.
     */
    public static final class Builder {
        private String user;
        private String password;
        private boolean tls;
        private SslContext sslContext;
        private boolean verifyHostname = true;
        private int maxInFlight = 1024;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration replyTimeout = Duration.ofMinutes(5);
        private UnsupportedDataPolicy unsupportedDataPolicy = UnsupportedDataPolicy.FAIL;
        private UnsupportedDataCallback callback;
        private EventLoopGroup eventLoopGroup;
        private int ioThreads = 2;
        private FullSyncTargetPolicy fullSyncTargetPolicy = FullSyncTargetPolicy.REFUSE_NON_EMPTY;
        private KeyConflictPolicy keyConflictPolicy = KeyConflictPolicy.OVERWRITE;
        private int maxRecordedSkips = 10_000;
        private Map<Integer, Integer> databaseMapping = new HashMap<>();
        private KeyFilter keyFilter = KeyFilter.all();
        private int maxRedirects = 16;
        private Duration clusterRetryTimeout = Duration.ofSeconds(60);
        private long maxOpsPerSecond;
        private long maxBytesPerSecond;

        private Builder() {
        }

        /**
         * At most this many commands per second into the target, one token bucket for every connection of
         * the sink (bursts of 1/10 s); senders wait, never an event loop. 0 (default: no limit) to 9 × 10^9.
         */
        public Builder maxOpsPerSecond(long ops) {
            this.maxOpsPerSecond = Throttle.checkRate(ops, "maxOpsPerSecond");
            return this;
        }

        /** At most this many bytes (RESP-encoded commands) per second, like {@link #maxOpsPerSecond}. */
        public Builder maxBytesPerSecond(long bytes) {
            this.maxBytesPerSecond = Throttle.checkRate(bytes, "maxBytesPerSecond");
            return this;
        }

        /**
         * Which of the source's keys are written, and under which names: applied to snapshot entries
         * and journal commands alike ({@link KeyFilter}).
         *
         * @param filter the filter ({@link KeyFilter#all()}: every key as it is)
         * @return this builder
         */
        public Builder keyFilter(KeyFilter filter) {
            this.keyFilter = java.util.Objects.requireNonNull(filter, "filter");
            return this;
        }

        /** {@code AUTH password} on every connection (null: none); clears the user. */
        public Builder password(String password) {
            this.password = password;
            this.user = null;
            return this;
        }

        /** {@code AUTH user password} (ACL) on every connection; a null user means {@code AUTH password}. */
        public Builder user(String user, String password) {
            this.user = user;
            this.password = password;
            return this;
        }

        /** TLS on or off; without {@link #ssl} the JVM's default trust store is used. */
        public Builder tls(boolean on) {
            this.tls = on;
            return this;
        }

        /** TLS with this client context (implies TLS; null turns TLS off). */
        public Builder ssl(SslContext ctx) {
            if (ctx != null && !ctx.isClient()) {
                throw new IllegalArgumentException("ssl must be a client context");
            }
            this.sslContext = ctx;
            this.tls = ctx != null;
            return this;
        }

        /**
         * Whether a TLS server certificate must name the host connected to (default true). Turn off
         * only for certificates without the right subject alternative names, on trusted networks.
         */
        public Builder verifyHostname(boolean on) {
            this.verifyHostname = on;
            return this;
        }

        /** Commands written but not yet answered, per connection (pipelining window); at least 1, default 1024. */
        public Builder maxInFlight(int commands) {
            if (commands < 1) {
                throw new IllegalArgumentException("maxInFlight must be >= 1: " + commands);
            }
            this.maxInFlight = commands;
            return this;
        }

        /**
         * How long outstanding commands may go without any reply before the connection is declared
         * dead and the session fails (and reconnects); positive, default 5 min, generous because one
         * command (a FLUSHALL of a big db, a DEL of a huge key) can legitimately take long.
         */
        public Builder replyTimeout(Duration d) {
            this.replyTimeout = positive(d, "replyTimeout");
            return this;
        }

        /** Connect (TCP, TLS, AUTH) timeout; positive, at most 24 days, default 10 s. */
        public Builder connectTimeout(Duration d) {
            RespClientOptions.builder().connectTimeout(d); // the connections' own rule, checked now
            this.connectTimeout = d;
            return this;
        }

        /**
         * What to do with data Redis cannot hold; default {@link UnsupportedDataPolicy#FAIL}.
         * {@link UnsupportedDataPolicy#CALLBACK} needs {@link #onUnsupported} (checked by {@link #build()}).
         */
        public Builder unsupportedDataPolicy(UnsupportedDataPolicy p) {
            this.unsupportedDataPolicy = Objects.requireNonNull(p, "unsupportedDataPolicy");
            return this;
        }

        /** Sets {@link UnsupportedDataPolicy#CALLBACK} with this callback. */
        public Builder onUnsupported(UnsupportedDataCallback cb) {
            this.callback = Objects.requireNonNull(cb, "callback");
            this.unsupportedDataPolicy = UnsupportedDataPolicy.CALLBACK;
            return this;
        }

        /** Runs the connections on the host's event loop group (not shut down by the sink); null for its own. */
        public Builder eventLoopGroup(EventLoopGroup g) {
            this.eventLoopGroup = g;
            return this;
        }

        /** Threads of the sink's own event loop group when none is injected; at least 1, default 2. */
        public Builder ioThreads(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("ioThreads must be >= 1: " + n);
            }
            this.ioThreads = n;
            return this;
        }

        /**
         * What a full sync does with keys the target already holds in the dbs it writes; default
         * {@link FullSyncTargetPolicy#REFUSE_NON_EMPTY}. See {@link FullSyncTargetPolicy}.
         */
        public Builder fullSyncTargetPolicy(FullSyncTargetPolicy policy) {
            this.fullSyncTargetPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * What a full sync under {@link FullSyncTargetPolicy#UPSERT} does with a snapshot key the target
         * already holds; default {@link KeyConflictPolicy#OVERWRITE}, any other needs {@code UPSERT}
         * (checked by {@link #build()}). See {@link KeyConflictPolicy}.
         */
        public Builder keyConflictPolicy(KeyConflictPolicy policy) {
            this.keyConflictPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** How many unsupported keys {@link RedisSinkStats#skipped()} keeps; at least 0, default 10 000. */
        public Builder maxRecordedSkips(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("maxRecordedSkips must be >= 0: " + n);
            }
            this.maxRecordedSkips = n;
            return this;
        }

        /**
         * Writes source db {@code sourceDb} into target db {@code targetDb}. On a cluster target, every
         * db other than 0 must be mapped to 0 (merging it into db 0), or its first key fails the
         * session. A {@code FLUSHDB} of a db that shares its target db with others goes to the
         * unsupported-data policy (it would flush their keys too).
         */
        public Builder mapDatabase(int sourceDb, int targetDb) {
            if (sourceDb < 0 || targetDb < 0) {
                throw new IllegalArgumentException("db numbers are >= 0: " + sourceDb + " -> " + targetDb);
            }
            databaseMapping.put(sourceDb, targetDb);
            return this;
        }

        /** How often one command may be redirected ({@code MOVED}/{@code ASK}) before failing; at least 1, default 16. */
        public Builder maxRedirects(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxRedirects must be >= 1: " + n);
            }
            this.maxRedirects = n;
            return this;
        }

        /**
         * How long a cluster command may keep being refused ({@code TRYAGAIN}, {@code CLUSTERDOWN},
         * {@code LOADING}, redirects) before it fails; positive, default 60 s.
         */
        public Builder clusterRetryTimeout(Duration d) {
            this.clusterRetryTimeout = positive(d, "clusterRetryTimeout");
            return this;
        }

        /**
         * The options.
         *
         * @throws IllegalArgumentException when {@link UnsupportedDataPolicy#CALLBACK} has no callback,
         *     a user is set without a password, or a {@link KeyConflictPolicy} other than
         *     {@code OVERWRITE} comes without {@link FullSyncTargetPolicy#UPSERT}
         */
        public RedisSinkOptions build() {
            if (unsupportedDataPolicy == UnsupportedDataPolicy.CALLBACK && callback == null) {
                throw new IllegalArgumentException("UnsupportedDataPolicy.CALLBACK needs onUnsupported(callback)");
            }
            if (user != null && password == null) {
                throw new IllegalArgumentException("a user name needs a password");
            }
            if (keyConflictPolicy != KeyConflictPolicy.OVERWRITE && fullSyncTargetPolicy != FullSyncTargetPolicy.UPSERT) {
                throw new IllegalArgumentException("KeyConflictPolicy." + keyConflictPolicy + " is about keys the target "
                        + "holds when a full sync writes into it, which only FullSyncTargetPolicy.UPSERT allows (now "
                        + fullSyncTargetPolicy + ")");
            }
            return new RedisSinkOptions(this);
        }

        /** The settings so far, without the checks of {@link #build()} (for accessors and {@code toString}). */
        RedisSinkOptions current() {
            return new RedisSinkOptions(this);
        }

        private static Duration positive(Duration d, String what) {
            Objects.requireNonNull(d, what);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive: " + d);
            }
            return d;
        }

        /** The settings so far, never the password. */
        @Override
        public String toString() {
            return "RedisSinkOptions.Builder" + current().toString().substring("RedisSinkOptions".length());
        }
    }
}
