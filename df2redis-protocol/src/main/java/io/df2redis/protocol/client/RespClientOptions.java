package io.df2redis.protocol.client;

import io.df2redis.protocol.resp.RespDecoder;
import io.netty.channel.Channel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;

import java.time.Duration;
import java.util.Objects;

/**
 * Immutable settings of a {@link RespClient}: how to connect (timeout, TLS, socket options), how
 * to authenticate, how long to wait for replies and which reply sizes to accept. Build with
 * {@link #builder()}, change a copy with {@link #mutate()}; the builder validates every value when
 * it is set (an {@link IllegalArgumentException}, never a silent correction) and its call order
 * does not matter. The endpoint is not part of the options: see {@link RespClient#connect}.
 *
 * <p>{@link #toString()} never shows the password.
 */
public final class RespClientOptions {
    /** 10 s to connect, no reply timeout, no TLS, no AUTH, default decoder limits. */
    public static final RespClientOptions DEFAULTS = builder().build();

    private final String name;
    private final Duration connectTimeout;
    private final Duration replyTimeout;
    private final SslContext sslContext;
    private final boolean verifyHostname;
    private final String user;
    private final String password;
    private final RespDecoder.Limits limits;
    private final boolean keepAlive;
    private final Class<? extends Channel> channelType;

    private RespClientOptions(Builder b) {
        this.name = b.name;
        this.connectTimeout = b.connectTimeout;
        this.replyTimeout = b.replyTimeout;
        this.sslContext = b.sslContext;
        this.verifyHostname = b.verifyHostname;
        this.user = b.user;
        this.password = b.password;
        this.limits = b.limits;
        this.keepAlive = b.keepAlive;
        this.channelType = b.channelType;
    }

    /**
     * A builder with the {@link #DEFAULTS}.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding these options, to derive changed options from.
     *
     * @return a new builder; these options stay as they are
     */
    public Builder mutate() {
        Builder b = new Builder();
        b.name = name;
        b.connectTimeout = connectTimeout;
        b.replyTimeout = replyTimeout;
        b.sslContext = sslContext;
        b.verifyHostname = verifyHostname;
        b.user = user;
        b.password = password;
        b.limits = limits;
        b.keepAlive = keepAlive;
        b.channelType = channelType;
        return b;
    }

    /**
     * What the connection is for, named in errors and logs (default {@code "RESP server"}).
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Longest time to connect, finish the TLS handshake and authenticate (default 10 s).
     *
     * @return the connect timeout, positive
     */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /**
     * Longest time without a reply while commands are outstanding before the connection is
     * failed and closed; {@link Duration#ZERO} for none (the default).
     *
     * @return the reply timeout, or zero for none
     */
    public Duration replyTimeout() {
        return replyTimeout;
    }

    /**
     * The TLS client context, or null for a plain connection (the default).
     *
     * @return the context, or null
     */
    public SslContext sslContext() {
        return sslContext;
    }

    /**
     * Whether the server certificate must name the host connected to (default true).
     *
     * @return true unless turned off
     */
    public boolean verifyHostname() {
        return verifyHostname;
    }

    /**
     * The ACL user name for {@code AUTH user password}, or null for {@code AUTH password}.
     *
     * @return the user, or null
     */
    public String user() {
        return user;
    }

    /**
     * Whether a password is set (the password itself is only sent in {@code AUTH}).
     *
     * @return true when {@code AUTH} is sent after connecting
     */
    public boolean hasPassword() {
        return password != null;
    }

    /** The password; package-private so that it does not leak through the public API. */
    String password() {
        return password;
    }

    /**
     * Limits of the reply decoder (default {@link RespDecoder.Limits#DEFAULT}).
     *
     * @return the limits
     */
    public RespDecoder.Limits limits() {
        return limits;
    }

    /**
     * Whether TCP keep-alive is on (default true).
     *
     * @return true when {@code SO_KEEPALIVE} is set
     */
    public boolean keepAlive() {
        return keepAlive;
    }

    /**
     * The channel class for {@link RespClient#connect} (default {@link NioSocketChannel}).
     *
     * @return the channel class
     */
    public Class<? extends Channel> channelType() {
        return channelType;
    }

    /** The options, with the password masked. */
    @Override
    public String toString() {
        return "RespClientOptions[name=" + name + ", connectTimeout=" + connectTimeout + ", replyTimeout="
                + replyTimeout + ", tls=" + (sslContext != null) + ", verifyHostname=" + verifyHostname
                + ", user=" + user + ", password=" + (password != null ? "***" : "none") + ", limits=" + limits
                + ", keepAlive=" + keepAlive + ", channelType=" + channelType.getSimpleName() + "]";
    }

    /** Mutable builder of {@link RespClientOptions}; every setter validates its value. */
    public static final class Builder {
        private String name = "RESP server";
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration replyTimeout = Duration.ZERO;
        private SslContext sslContext;
        private boolean verifyHostname = true;
        private String user;
        private String password;
        private RespDecoder.Limits limits = RespDecoder.Limits.DEFAULT;
        private boolean keepAlive = true;
        private Class<? extends Channel> channelType = NioSocketChannel.class;

        private Builder() {
        }

        /**
         * What the connection is for, e.g. {@code "Redis target"}; named in errors and logs.
         *
         * @param name a non-blank name
         * @return this builder
         */
        public Builder name(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("name must not be blank");
            }
            this.name = name;
            return this;
        }

        /**
         * Longest time to connect, handshake and authenticate; positive, at most 24 days.
         *
         * @param timeout the timeout
         * @return this builder
         * @throws IllegalArgumentException when not positive or over {@link Integer#MAX_VALUE} ms
         */
        public Builder connectTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "connectTimeout");
            if (timeout.isNegative() || timeout.isZero() || timeout.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("connectTimeout must be positive and at most "
                        + Integer.MAX_VALUE + " ms: " + timeout);
            }
            this.connectTimeout = timeout;
            return this;
        }

        /**
         * Reply timeout (see {@link RespClientOptions#replyTimeout()}); zero for none, never negative.
         *
         * @param timeout the timeout, or {@link Duration#ZERO}
         * @return this builder
         * @throws IllegalArgumentException when negative
         */
        public Builder replyTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "replyTimeout");
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("replyTimeout must not be negative: " + timeout);
            }
            this.replyTimeout = timeout;
            return this;
        }

        /**
         * Connects with TLS using {@code context} (a client context); null for a plain connection.
         *
         * @param context a client TLS context, or null
         * @return this builder
         * @throws IllegalArgumentException for a server context
         */
        public Builder sslContext(SslContext context) {
            if (context != null && !context.isClient()) {
                throw new IllegalArgumentException("sslContext must be a client context");
            }
            this.sslContext = context;
            return this;
        }

        /**
         * Whether the server certificate must name the host connected to (HTTPS rules). On by
         * default; turn off only for servers addressed by a name their certificate does not carry.
         *
         * @param verify false to accept a trusted certificate issued for another name
         * @return this builder
         */
        public Builder verifyHostname(boolean verify) {
            this.verifyHostname = verify;
            return this;
        }

        /**
         * Authenticates with {@code AUTH password}; null for no authentication.
         *
         * @param password the password, or null
         * @return this builder
         * @throws IllegalArgumentException for an empty password
         */
        public Builder password(String password) {
            if (password != null && password.isEmpty()) {
                throw new IllegalArgumentException("password must not be empty (use null for none)");
            }
            this.password = password;
            return this;
        }

        /**
         * Authenticates with {@code AUTH user password} (an ACL user); {@code user} null means
         * {@code AUTH password}. A user without a password is rejected when building.
         *
         * @param user the ACL user, or null
         * @param password its password, or null for no authentication
         * @return this builder
         * @throws IllegalArgumentException for an empty user or password
         */
        public Builder credentials(String user, String password) {
            if (user != null && user.isEmpty()) {
                throw new IllegalArgumentException("user must not be empty (use null for the default user)");
            }
            password(password);
            this.user = user;
            return this;
        }

        /**
         * Limits of the reply decoder.
         *
         * @param limits the limits
         * @return this builder
         */
        public Builder limits(RespDecoder.Limits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * TCP keep-alive (default on).
         *
         * @param on whether {@code SO_KEEPALIVE} is set
         * @return this builder
         */
        public Builder keepAlive(boolean on) {
            this.keepAlive = on;
            return this;
        }

        /**
         * The channel class for {@link RespClient#connect}; must match the event loop group's transport.
         *
         * @param type the channel class, e.g. {@code NioSocketChannel.class}
         * @return this builder
         */
        public Builder channelType(Class<? extends Channel> type) {
            this.channelType = Objects.requireNonNull(type, "channelType");
            return this;
        }

        /**
         * The options.
         *
         * @return the immutable options
         * @throws IllegalArgumentException when a user name is set without a password
         */
        public RespClientOptions build() {
            if (user != null && password == null) {
                throw new IllegalArgumentException("a user name needs a password");
            }
            return new RespClientOptions(this);
        }
    }
}
