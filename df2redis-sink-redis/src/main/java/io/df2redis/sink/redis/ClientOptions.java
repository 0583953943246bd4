package io.df2redis.sink.redis;

import io.df2redis.protocol.client.RespClientOptions;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;

import javax.net.ssl.SSLException;

/** The client options of the sink's connections, made from its {@link RedisSinkOptions} (which hold the password). */
final class ClientOptions {
    private ClientOptions() {
    }

    /**
     * The options of one connection to the target: timeouts, TLS (the JVM's default trust when no
     * context is set), credentials.
     *
     * @param o the sink's options
     * @param name what the connection is for, named in errors
     * @throws IllegalArgumentException when the default TLS context cannot be built
     */
    static RespClientOptions of(RedisSinkOptions o, String name) {
        SslContext ssl = o.sslContext();
        if (o.tls() && ssl == null) {
            try {
                ssl = SslContextBuilder.forClient().build();
            } catch (SSLException e) {
                throw new IllegalArgumentException("cannot build a default TLS context: " + e.getMessage(), e);
            }
        }
        return RespClientOptions.builder().name(name).connectTimeout(o.connectTimeout()).replyTimeout(o.replyTimeout())
                .sslContext(ssl).verifyHostname(o.verifyHostname()).credentials(o.user(), o.password()).build();
    }
}
