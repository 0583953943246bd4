package io.df2redis.protocol.net;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A TCP endpoint: a host name or IP address and a port. The one parser and printer of
 * {@code host:port} text in df2redis.
 *
 * <p>Accepted text ({@link #parse(String)}):
 * <ul>
 * <li>{@code redis.example.com:6379}, {@code 10.0.0.7:6379}: host name or IPv4 address, a colon,
 *     the port;</li>
 * <li>{@code [::1]:6379}, {@code [2001:db8::7]:7000}: an IPv6 address in brackets, a colon, the
 *     port. An IPv6 address without brackets is rejected when a port is expected, because
 *     {@code 2001:db8::7:6379} is itself a valid address and the port cannot be told apart.</li>
 * </ul>
 * With {@link #parse(String, int)} the port may be left out ({@code localhost}, {@code [::1]},
 * or a bare IPv6 address such as {@code ::1}), and the default port is used.
 *
 * <p>The host is kept without brackets; {@link #toString()} adds them back for IPv6 addresses,
 * so {@code parse(x.toString())} equals {@code x}. Nothing is resolved: the host is checked for
 * shape only. Bad text raises an {@link IllegalArgumentException} whose message quotes the input
 * and says which form is expected. Immutable.
 *
 * @param host the host name or IP address, without brackets, never empty
 * @param port the TCP port, 1..65535
 */
public record HostAndPort(String host, int port) {

    /** The port of Redis and Dragonfly when none is given. */
    public static final int DEFAULT_REDIS_PORT = 6379;

    /**
     * Validates the parts.
     *
     * @param host the host name or IP address, without brackets
     * @param port the TCP port
     * @throws IllegalArgumentException when the host is empty, contains white space or brackets,
     *     or the port is outside 1..65535
     * @throws NullPointerException when {@code host} is null
     */
    public HostAndPort {
        Objects.requireNonNull(host, "host");
        if (host.isEmpty()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (Character.isWhitespace(c) || c == '[' || c == ']' || c == '/' || c == '@') {
                throw new IllegalArgumentException("invalid character '" + c + "' in host '" + host + "'");
            }
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " of '" + host + "' is outside 1..65535");
        }
    }

    /**
     * The endpoint {@code host:port} (the host without brackets, as in the canonical constructor).
     *
     * @param host the host name or IP address, without brackets
     * @param port the TCP port
     * @return the endpoint
     * @throws IllegalArgumentException as the canonical constructor
     */
    public static HostAndPort of(String host, int port) {
        return new HostAndPort(host, port);
    }

    /**
     * Parses {@code host:port} or {@code [ipv6]:port}; the port is required.
     *
     * @param text the address text
     * @return the endpoint
     * @throws IllegalArgumentException when the text is not such an endpoint; the message quotes
     *     the text and names the expected form
     * @throws NullPointerException when {@code text} is null
     */
    public static HostAndPort parse(String text) {
        return parse(text, -1);
    }

    /**
     * Parses {@code host[:port]}, {@code [ipv6][:port]} or a bare IPv6 address, using
     * {@code defaultPort} when the text has no port.
     *
     * @param text the address text
     * @param defaultPort the port when none is given (1..65535), or -1 to require one
     * @return the endpoint
     * @throws IllegalArgumentException when the text is not such an endpoint; the message quotes
     *     the text and names the expected form
     * @throws NullPointerException when {@code text} is null
     */
    public static HostAndPort parse(String text, int defaultPort) {
        Objects.requireNonNull(text, "text");
        if (defaultPort != -1 && (defaultPort < 1 || defaultPort > 65535)) {
            throw new IllegalArgumentException("default port " + defaultPort + " is outside 1..65535");
        }
        String s = text.trim();
        if (s.isEmpty()) {
            throw bad(text, "it is empty");
        }
        String host;
        String portText;
        if (s.charAt(0) == '[') {
            int close = s.indexOf(']');
            if (close < 0) {
                throw bad(text, "the '[' of the IPv6 address is not closed");
            }
            host = s.substring(1, close);
            if (host.indexOf(':') < 0) {
                throw bad(text, "brackets are for IPv6 addresses only");
            }
            String rest = s.substring(close + 1);
            if (rest.isEmpty()) {
                portText = null;
            } else if (rest.charAt(0) == ':') {
                portText = rest.substring(1);
            } else {
                throw bad(text, "expected ':' and the port after ']'");
            }
        } else {
            int first = s.indexOf(':');
            int last = s.lastIndexOf(':');
            if (first < 0) {
                host = s;
                portText = null;
            } else if (first == last) {
                host = s.substring(0, first);
                portText = s.substring(first + 1);
            } else if (defaultPort != -1) {
                host = s; // a bare IPv6 address; the port is the default
                portText = null;
            } else {
                throw bad(text, "an IPv6 address with a port must be written in brackets, e.g. [::1]:6379");
            }
        }
        if (host.isEmpty()) {
            throw bad(text, "the host is empty");
        }
        int port;
        if (portText == null) {
            if (defaultPort == -1) {
                throw bad(text, "the port is missing");
            }
            port = defaultPort;
        } else {
            port = parsePort(text, portText);
        }
        try {
            return new HostAndPort(host, port);
        } catch (IllegalArgumentException e) {
            throw bad(text, e.getMessage());
        }
    }

    /**
     * Whether the host is an IPv6 address (it contains a colon).
     *
     * @return true for an IPv6 address
     */
    public boolean isIpv6() {
        return host.indexOf(':') >= 0;
    }

    /**
     * An unresolved socket address for this endpoint (resolved when connecting).
     *
     * @return an unresolved {@link InetSocketAddress}
     */
    public InetSocketAddress toSocketAddress() {
        return InetSocketAddress.createUnresolved(host, port);
    }

    /** {@code host:port}, with the host in brackets when it is an IPv6 address. */
    @Override
    public String toString() {
        return (isIpv6() ? "[" + host + "]" : host) + ":" + port;
    }

    private static int parsePort(String text, String portText) {
        if (portText.isEmpty()) {
            throw bad(text, "the port after ':' is empty");
        }
        if (portText.length() > 5) {
            throw bad(text, "port '" + portText + "' is not a number in 1..65535");
        }
        int v = 0;
        for (int i = 0; i < portText.length(); i++) {
            char c = portText.charAt(i);
            if (c < '0' || c > '9') {
                throw bad(text, "port '" + portText + "' is not a number in 1..65535");
            }
            v = v * 10 + (c - '0');
        }
        if (v < 1 || v > 65535) {
            throw bad(text, "port " + v + " is outside 1..65535");
        }
        return v;
    }

    private static IllegalArgumentException bad(String text, String why) {
        return new IllegalArgumentException("invalid address '" + text + "': " + why
                + " (expected HOST:PORT or [IPV6]:PORT)");
    }
}
