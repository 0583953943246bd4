package io.df2redis.replica;

import io.df2redis.protocol.net.HostAndPort;
import io.netty.handler.ssl.SslContext;

import java.util.Objects;

/**
 * Where and how to reach the Dragonfly master: host, port, optional credentials (password, or
 * ACL user and password) and optional TLS. Immutable; {@link #toString()} never shows the
 * password.
 *
 * <p>With TLS the server certificate must be trusted by the {@link SslContext} and must name the
 * host connected to (HTTPS endpoint identification) unless {@link #verifyHostname(boolean)
 * verifyHostname(false)} was chosen explicitly.
 */
public final class DragonflyEndpoint {
    private final HostAndPort address;
    private final String user;
    private final String password;
    private final SslContext ssl;
    private final boolean verifyHostname;

    private DragonflyEndpoint(HostAndPort address, String user, String password, SslContext ssl,
                              boolean verifyHostname) {
        this.address = address;
        this.user = user;
        this.password = password;
        this.ssl = ssl;
        this.verifyHostname = verifyHostname;
    }

    /**
     * An endpoint without credentials or TLS.
     *
     * @param host host name or address
     * @param port TCP port
     * @return the endpoint
     */
    public static DragonflyEndpoint of(String host, int port) {
        return new DragonflyEndpoint(HostAndPort.of(host, port), null, null, null, true);
    }

    /**
     * Parses {@code host:port} (IPv6 as {@code [::1]:6379}) with {@link HostAndPort#parse(String)}.
     * Credentials do not belong in the address: a {@code user:password@host:port} or
     * {@code redis://…} string is refused, and no error message repeats what was given (it may hold
     * a password); use {@link #withPassword} / {@link #withUser}.
     *
     * @param hostPort {@code host:port}
     * @return the endpoint
     * @throws IllegalArgumentException for anything else
     */
    public static DragonflyEndpoint parse(String hostPort) {
        Objects.requireNonNull(hostPort, "hostPort");
        if (hostPort.contains("@") || hostPort.contains("://")) {
            throw new IllegalArgumentException("expected HOST:PORT, got an address with a scheme or credentials ("
                    + redact(hostPort) + "); give the password with DragonflyEndpoint.withPassword/withUser");
        }
        HostAndPort a;
        try {
            a = HostAndPort.parse(hostPort);
        } catch (IllegalArgumentException e) {
            // not echoed: what stands where the port belongs may be a password given by mistake
            throw new IllegalArgumentException("expected HOST:PORT or [IPV6]:PORT; the address given is not one "
                    + "(not repeated here, as it may hold a password)");
        }
        return of(a.host(), a.port());
    }

    /** {@code scheme://user:***@host:port}: whatever sits between "//" (or the start) and the last '@' is hidden. */
    private static String redact(String s) {
        int at = s.lastIndexOf('@');
        if (at < 0) {
            return s;
        }
        int start = s.indexOf("://");
        start = start < 0 ? 0 : start + 3;
        return s.substring(0, start) + "***@" + s.substring(at + 1);
    }

    /**
     * Authenticates with {@code AUTH <password>}.
     *
     * @param password the default user's password
     * @return a new endpoint
     */
    public DragonflyEndpoint withPassword(String password) {
        return new DragonflyEndpoint(address, null, password, ssl, verifyHostname);
    }

    /**
     * Authenticates with {@code AUTH <user> <password>} (ACL user).
     *
     * @param user the ACL user
     * @param password its password
     * @return a new endpoint
     */
    public DragonflyEndpoint withUser(String user, String password) {
        return new DragonflyEndpoint(address, user, password, ssl, verifyHostname);
    }

    /**
     * Connects with TLS using the given client context (its trust manager decides which
     * certificates are trusted); the certificate must also name {@link #host()} unless
     * {@link #verifyHostname(boolean) verifyHostname(false)}.
     *
     * @param ssl a client context
     * @return a new endpoint
     */
    public DragonflyEndpoint withTls(SslContext ssl) {
        return new DragonflyEndpoint(address, user, password, ssl, verifyHostname);
    }

    /**
     * Whether the TLS server certificate must name {@link #host()} (default true). Turning it off
     * accepts any certificate the trust manager trusts, whatever host it was issued for — only for
     * a known reason (e.g. connecting by an address to a server whose certificate names only its
     * DNS name); every replication session then logs a warning.
     *
     * @param verify false to accept a trusted certificate issued for another name
     * @return a new endpoint
     */
    public DragonflyEndpoint verifyHostname(boolean verify) {
        return new DragonflyEndpoint(address, user, password, ssl, verify);
    }

    /** @return the host name or address */
    public String host() {
        return address.host();
    }

    /** @return the TCP port */
    public int port() {
        return address.port();
    }

    /** @return the ACL user name, or null */
    public String user() {
        return user;
    }

    /** @return the password, or null when no AUTH is sent. Never log it. */
    public String password() {
        return password;
    }

    /** @return the TLS client context, or null for plain TCP */
    public SslContext ssl() {
        return ssl;
    }

    /** @return whether a TLS certificate must name {@link #host()} (default true) */
    public boolean isVerifyHostname() {
        return verifyHostname;
    }

    /** @return {@code host:port}, for messages */
    public String address() {
        return address.toString();
    }

    /** @return {@code [tls://][user@]host:port[ (auth)]}, never the password */
    @Override
    public String toString() {
        return (ssl != null ? "tls://" : "") + (user != null ? user + "@" : "") + address()
                + (password != null ? " (auth)" : "") + (ssl != null && !verifyHostname ? " (no host-name check)" : "");
    }
}
