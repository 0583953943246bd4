package io.df2redis.examples.cli;

import io.df2redis.protocol.net.HostAndPort;

/**
 * The value of {@code --source} / {@code --target}: {@code HOST:PORT} (parsed by
 * {@link HostAndPort}) or a {@code redis://} / {@code rediss://} URI. Stateless; errors are the
 * options' usage errors, and never echo credentials.
 */
final class AddressOption {
    private AddressOption() {
    }

    /** A parsed address and whether its scheme asks for TLS ({@code rediss://}). */
    record Parsed(ConnectionOptions.HostPort address, boolean tls) {
    }

    /**
     * {@code HOST:PORT}, {@code redis://HOST:PORT[/]} or {@code rediss://HOST:PORT[/]} (TLS). A URI
     * with credentials is a usage error whose message shows the URI with its user info hidden.
     */
    static Parsed parse(ConnectionOptions o, String option, String value, String passwordEnv, String dbHint) {
        String v = value;
        boolean tls = false;
        int scheme = v.indexOf("://");
        if (scheme >= 0) {
            String s = v.substring(0, scheme);
            String rest = v.substring(scheme + 3);
            int at = rest.lastIndexOf('@');
            if (at >= 0) {
                Redactor.register(rest.substring(0, at));
                int colon = rest.indexOf(':');
                if (colon >= 0 && colon < at) {
                    Redactor.register(rest.substring(colon + 1, at));
                }
                throw o.usage(option + ": credentials in the URI are not accepted (" + s + "://***@"
                        + rest.substring(at + 1) + "): a password on the command line is visible in the process list "
                        + "and shell history. Give it with " + option + "-password-file FILE (or env "
                        + passwordEnv + "), the user with " + option + "-user");
            }
            if (!s.equals("redis") && !s.equals("rediss")) {
                throw o.usage(option + ": expected " + ConnectionOptions.URI_HELP + ", got '" + value + "'");
            }
            if (rest.endsWith("/")) {
                rest = rest.substring(0, rest.length() - 1);
            }
            if (rest.indexOf('/') >= 0) {
                throw o.usage(option + ": a db in the URI is not supported ('" + value + "')"
                        + dbHint);
            }
            tls = s.equals("rediss");
            v = rest;
        } else if (v.indexOf('@') >= 0) {
            throw o.usage(option + ": expected " + ConnectionOptions.URI_HELP + " (credentials are not accepted in addresses)");
        }
        try {
            HostAndPort hp = HostAndPort.parse(v);
            return new Parsed(new ConnectionOptions.HostPort(hp.host(), hp.port()), tls);
        } catch (IllegalArgumentException e) {
            throw o.usage(option + ": expected " + ConnectionOptions.URI_HELP + ", got '" + value + "' (" + e.getMessage() + ")");
        }
    }
}
