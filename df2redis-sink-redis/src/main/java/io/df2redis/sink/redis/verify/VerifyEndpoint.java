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

    /**
     * A plain endpoint, no credentials, no TLS, standalone.
     *
     * @param host the server's host name or address (an IPv6 address without brackets)
     * @param port its port
     * @return the endpoint
     * @throws IllegalArgumentException when {@link HostAndPort} refuses the host or the port
     */
    public static VerifyEndpoint of(String host, int port) {
        return new VerifyEndpoint(HostAndPort.of(host, port), null, null, false, null, false);
    }

    /**
     * Parses {@code HOST:PORT} ({@code [v6]:PORT} for IPv6) with {@link HostAndPort#parse(String)}.
     *
     * @param hostPort the address
     * @return a plain endpoint
     * @throws IllegalArgumentException when the address is malformed
     */
    public static VerifyEndpoint parse(String hostPort) {
        HostAndPort a = HostAndPort.parse(hostPort);
        return of(a.host(), a.port());
    }

    /**
     * Authenticates with {@code AUTH password}.
     *
     * @param password the default user's password
     * @return a copy with the password (and no ACL user)
     */
    public VerifyEndpoint withPassword(String password) {
        return new VerifyEndpoint(address, null, password, tls, sslContext, cluster, verifyHostname);
    }

    /**
     * Authenticates with {@code AUTH user password} (ACL); a null user means {@code AUTH password}.
     *
     * @param user the ACL user, or null
     * @param password its password
     * @return a copy with the credentials
     */
    public VerifyEndpoint withUser(String user, String password) {
        return new VerifyEndpoint(address, user, password, tls, sslContext, cluster, verifyHostname);
    }

    /**
     * TLS with the JVM's trust store, or plain TCP.
     *
     * @param tls true for TLS; false also drops a context given by {@link #withSsl}
     * @return a copy with that choice
     */
    public VerifyEndpoint withTls(boolean tls) {
        return new VerifyEndpoint(address, user, password, tls, tls ? sslContext : null, cluster, verifyHostname);
    }

    /**
     * TLS with a given context (client certificates, private trust store).
     *
     * @param context a client TLS context, or null for plain TCP
     * @return a copy using that context
     */
    public VerifyEndpoint withSsl(SslContext context) {
        return new VerifyEndpoint(address, user, password, context != null, context, cluster, verifyHostname);
    }

    /**
     * Whether a TLS server certificate must name the host connected to (default true); turn it off
     * only for certificates without the right names, on trusted networks.
     *
     * @param on false to accept a trusted certificate issued for another name
     * @return a copy with that setting
     */
    public VerifyEndpoint withVerifyHostname(boolean on) {
        return new VerifyEndpoint(address, user, password, tls, sslContext, cluster, on);
    }

    /**
     * Whether the TLS server certificate must name the host ({@link #withVerifyHostname}).
     *
     * @return true unless turned off
     */
    public boolean verifyHostname() {
        return verifyHostname;
    }

    /**
     * The endpoint is a node of a Redis Cluster: every master is scanned, keys are read from their
     * slot's owner.
     *
     * @return a copy marked as a cluster node
     */
    public VerifyEndpoint asCluster() {
        return new VerifyEndpoint(address, user, password, tls, sslContext, true, verifyHostname);
    }

    /**
     * The host connected to.
     *
     * @return the host name or address, without brackets
     */
    public String host() {
        return address.host();
    }

    /**
     * The port connected to.
     *
     * @return the TCP port
     */
    public int port() {
        return address.port();
    }

    /**
     * The ACL user of {@code AUTH}.
     *
     * @return the user, or null for the default user (or no {@code AUTH})
     */
    public String user() {
        return user;
    }

    String password() {
        return password;
    }

    /**
     * Whether the connection uses TLS.
     *
     * @return true for TLS (with the JVM's trust store or the given context)
     */
    public boolean tls() {
        return tls;
    }

    SslContext sslContext() {
        return sslContext;
    }

    /**
     * Whether the endpoint is a node of a Redis Cluster (reads are routed to every master).
     *
     * @return true after {@link #asCluster()}
     */
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
