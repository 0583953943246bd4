package io.df2redis.sink.redis.verify;

import io.df2redis.protocol.net.HostAndPort;
import io.netty.handler.ssl.SslContext;

/**
 * One side of a verification: a Dragonfly or Redis server, standalone or (with {@link #asCluster()})
 * a Redis Cluster reached through any of its nodes. Immutable; the {@code with…} methods return
 * copies. The password never appears in {@link #toString()}.
 */
public final class VerifyEndpoint {
    private final HostAndPort address;
    private final String user;
    private final String password;
    private final boolean tls;
    private final SslContext sslContext;
    private final boolean cluster;
    private final boolean verifyHostname;

    private VerifyEndpoint(HostAndPort address, String user, String password, boolean tls, SslContext ssl,
                           boolean cluster) {
        this(address, user, password, tls, ssl, cluster, true);
    }

    private VerifyEndpoint(HostAndPort address, String user, String password, boolean tls, SslContext ssl,
                           boolean cluster, boolean verifyHostname) {
        this.address = address;
        this.user = user;
        this.password = password;
        this.tls = tls;
        this.sslContext = ssl;
        this.cluster = cluster;
        this.verifyHostname = verifyHostname;
    }

    /** A plain endpoint, no credentials, no TLS, standalone. */
    public static VerifyEndpoint of(String host, int port) {
        return new VerifyEndpoint(HostAndPort.of(host, port), null, null, false, null, false);
    }

    /** Parses {@code HOST:PORT} ({@code [v6]:PORT} for IPv6); {@link IllegalArgumentException} when malformed. */
    public static VerifyEndpoint parse(String hostPort) {
        HostAndPort a = HostAndPort.parse(hostPort);
        return of(a.host(), a.port());
    }

    /** {@code AUTH password}. */
    public VerifyEndpoint withPassword(String password) {
        return new VerifyEndpoint(address, null, password, tls, sslContext, cluster, verifyHostname);
    }

    /** {@code AUTH user password} (ACL); a null user means {@code AUTH password}. */
    public VerifyEndpoint withUser(String user, String password) {
        return new VerifyEndpoint(address, user, password, tls, sslContext, cluster, verifyHostname);
    }

    /** TLS with the JVM's trust store. */
    public VerifyEndpoint withTls(boolean tls) {
        return new VerifyEndpoint(address, user, password, tls, tls ? sslContext : null, cluster, verifyHostname);
    }

    /** TLS with a given context (client certificates, private trust store). */
    public VerifyEndpoint withSsl(SslContext context) {
        return new VerifyEndpoint(address, user, password, context != null, context, cluster, verifyHostname);
    }

    /**
     * Whether a TLS server certificate must name the host connected to (default true); turn it off
     * only for certificates without the right names, on trusted networks.
     */
    public VerifyEndpoint withVerifyHostname(boolean on) {
        return new VerifyEndpoint(address, user, password, tls, sslContext, cluster, on);
    }

    /** Whether the TLS server certificate must name the host ({@link #withVerifyHostname}). */
    public boolean verifyHostname() {
        return verifyHostname;
    }

    /** The endpoint is a node of a Redis Cluster: every master is scanned, keys are read from their slot's owner. */
    public VerifyEndpoint asCluster() {
        return new VerifyEndpoint(address, user, password, tls, sslContext, true, verifyHostname);
    }

    /** The host. */
    public String host() {
        return address.host();
    }

    /** The port. */
    public int port() {
        return address.port();
    }

    /** The ACL user, or null. */
    public String user() {
        return user;
    }

    String password() {
        return password;
    }

    /** Whether the connection uses TLS. */
    public boolean tls() {
        return tls;
    }

    SslContext sslContext() {
        return sslContext;
    }

    /** Whether the endpoint is a node of a Redis Cluster (reads are routed to every master). */
    public boolean cluster() {
        return cluster;
    }

    /** A copy that reaches another node of the same deployment with the same credentials and TLS settings. */
    VerifyEndpoint node(String otherHost, int otherPort) {
        return new VerifyEndpoint(HostAndPort.of(otherHost, otherPort), user, password, tls, sslContext, cluster,
                verifyHostname);
    }

    @Override
    public String toString() {
        return address + (cluster ? " (cluster)" : "")
                + (tls ? verifyHostname ? " (tls)" : " (tls without host-name check)" : "")
                + (user != null ? " as " + user : "") + (password != null ? " (password set)" : "");
    }
}
