package io.df2redis.protocol.resp;

import java.util.Objects;
import java.util.Optional;

/**
 * The target of a cluster {@code MOVED} / {@code ASK} redirect, parsed from text such as
 * {@code MOVED 3999 127.0.0.1:6381}, {@code ASK 3999 [::1]:7000}, {@code MOVED 3999 ::1:7000} or
 * {@code MOVED 3999 :6381}.
 *
 * @param slot the hash slot (0..16383)
 * @param host the host name or IP address without brackets; empty means "the host of the node
 *     that sent the redirect"
 * @param port the TCP port (0..65535)
 */
public record Redirect(int slot, String host, int port) {

    /** Number of hash slots in a Redis / Dragonfly cluster. */
    public static final int SLOTS = 16384;

    /**
     * Validates the slot and port ranges.
     *
     * @param slot the hash slot
     * @param host the host, possibly empty
     * @param port the port
     * @throws IllegalArgumentException when the slot or the port is out of range
     */
    public Redirect {
        Objects.requireNonNull(host, "host");
        if (slot < 0 || slot >= SLOTS) {
            throw new IllegalArgumentException("slot out of range: " + slot);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /**
     * Whether the redirect names no host, i.e. targets the host that sent it.
     *
     * @return true when {@link #host()} is empty
     */
    public boolean isSameHost() {
        return host.isEmpty();
    }

    /**
     * The host to connect to: {@link #host()}, or {@code currentHost} when it is empty.
     *
     * @param currentHost the host of the node that sent the redirect
     * @return the host to connect to
     */
    public String hostOr(String currentHost) {
        return host.isEmpty() ? currentHost : host;
    }

    /**
     * Parses the text of a {@code MOVED} or {@code ASK} error ({@code <CODE> <slot> <endpoint>},
     * extra trailing words ignored). Returns empty when the text is not such a redirect or is
     * malformed.
     *
     * @param errorText the error text, e.g. {@link ErrorReply#message()}
     * @return the redirect, or empty
     */
    public static Optional<Redirect> parse(String errorText) {
        String[] words = errorText.trim().split(" +");
        if (words.length < 3 || !(words[0].equals("MOVED") || words[0].equals("ASK"))) {
            return Optional.empty();
        }
        int slot = parseSmallInt(words[1], SLOTS - 1);
        if (slot < 0) {
            return Optional.empty();
        }
        String endpoint = words[2];
        String host;
        String portText;
        if (endpoint.startsWith("[")) {
            int close = endpoint.indexOf(']');
            if (close < 0 || close + 1 >= endpoint.length() || endpoint.charAt(close + 1) != ':') {
                return Optional.empty();
            }
            host = endpoint.substring(1, close);
            portText = endpoint.substring(close + 2);
        } else {
            int colon = endpoint.lastIndexOf(':');
            if (colon < 0) {
                return Optional.empty();
            }
            host = endpoint.substring(0, colon);
            portText = endpoint.substring(colon + 1);
        }
        int port = parseSmallInt(portText, 65535);
        if (port < 0) {
            return Optional.empty();
        }
        return Optional.of(new Redirect(slot, host, port));
    }

    /** Non-negative decimal no larger than {@code max}, or -1. */
    private static int parseSmallInt(String s, int max) {
        if (s.isEmpty() || s.length() > 9) {
            return -1;
        }
        int v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v <= max ? v : -1;
    }
}
