package io.df2redis.examples.cli;

import io.df2redis.replica.DragonflyEndpoint;
import io.df2redis.sink.redis.RedisSink;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import javax.net.ssl.SSLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The source (Dragonfly) and target (Redis) connection options shared by the commands that talk to
 * both: {@code --source}, {@code --target}, credentials (from options or from the environment
 * variables {@code DF2REDIS_SOURCE_PASSWORD} / {@code DF2REDIS_TARGET_PASSWORD}), TLS and Cluster.
 * A picocli mixin: {@code @Mixin ConnectionOptions connection;}. Passwords are never printed.
 */
public final class ConnectionOptions {
    /** Environment variable read when {@code --source-password} is not given. */
    public static final String SOURCE_PASSWORD_ENV = "DF2REDIS_SOURCE_PASSWORD";
    /** Environment variable read when {@code --target-password} is not given. */
    public static final String TARGET_PASSWORD_ENV = "DF2REDIS_TARGET_PASSWORD";

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--source", required = true, paramLabel = "HOST:PORT",
            description = "the Dragonfly master to replicate")
    String source;

    @Option(names = "--source-user", paramLabel = "USER", description = "ACL user of the source (needs a password)")
    String sourceUser;

    @Option(names = "--source-password", paramLabel = "PASSWORD", arity = "1",
            description = "AUTH password of the source (default: env " + SOURCE_PASSWORD_ENV + ")")
    String sourcePassword;

    @Option(names = "--source-tls", description = "connect to the source with TLS (JVM trust store)")
    boolean sourceTls;

    @Option(names = "--target", required = true, paramLabel = "HOST:PORT",
            description = "the Redis to write into; with --target-cluster, one or more seed nodes, comma-separated")
    String target;

    @Option(names = "--target-cluster", description = "the target is a Redis Cluster (--target names seed nodes)")
    boolean targetCluster;

    @Option(names = "--map-db", paramLabel = "SRC:DST",
            description = "write source db SRC into target db DST (repeatable); a Redis Cluster holds db 0 only, "
                    + "so data of other dbs needs e.g. --map-db 3:0 (merged into db 0) or the run fails")
    List<String> mapDb = new ArrayList<>();

    @Option(names = "--target-user", paramLabel = "USER", description = "ACL user of the target (needs a password)")
    String targetUser;

    @Option(names = "--target-password", paramLabel = "PASSWORD", arity = "1",
            description = "AUTH password of the target (default: env " + TARGET_PASSWORD_ENV + ")")
    String targetPassword;

    @Option(names = "--target-tls", description = "connect to the target with TLS (JVM trust store)")
    boolean targetTls;

    /** A parsed {@code host:port}. */
    record HostPort(String host, int port) {
        @Override
        public String toString() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /** The source address; a malformed one is a usage error. */
    HostPort sourceAddress() {
        return parse("--source", source);
    }

    /** The target addresses (one unless {@code --target-cluster}); a malformed one is a usage error. */
    List<HostPort> targetAddresses() {
        List<HostPort> out = new ArrayList<>();
        for (String s : target.split(",")) {
            if (!s.isBlank()) {
                out.add(parse("--target", s.trim()));
            }
        }
        if (out.isEmpty()) {
            throw usage("--target: no address given");
        }
        if (out.size() > 1 && !targetCluster) {
            throw usage("--target: several addresses need --target-cluster");
        }
        return out;
    }

    String sourcePassword() {
        return sourcePassword != null ? sourcePassword : System.getenv(SOURCE_PASSWORD_ENV);
    }

    String targetPassword() {
        return targetPassword != null ? targetPassword : System.getenv(TARGET_PASSWORD_ENV);
    }

    /** Checks the options that picocli cannot check alone (throws a usage error). */
    void validate() {
        sourceAddress();
        targetAddresses();
        dbMapping();
        if (sourceUser != null && sourcePassword() == null) {
            throw usage("--source-user needs --source-password or env " + SOURCE_PASSWORD_ENV);
        }
        if (targetUser != null && targetPassword() == null) {
            throw usage("--target-user needs --target-password or env " + TARGET_PASSWORD_ENV);
        }
    }

    /** The source as a replication endpoint, with credentials and TLS. */
    DragonflyEndpoint sourceEndpoint() {
        HostPort hp = sourceAddress();
        DragonflyEndpoint ep = DragonflyEndpoint.of(hp.host(), hp.port());
        String pw = sourcePassword();
        if (pw != null) {
            ep = sourceUser != null ? ep.withUser(sourceUser, pw) : ep.withPassword(pw);
        }
        if (sourceTls) {
            ep = ep.withTls(clientTls());
        }
        return ep;
    }

    /**
     * The sink builder for the target, with credentials and TLS: {@link RedisSink#standalone} for
     * one server, the cluster builder with {@code --target-cluster}.
     */
    RedisSink.Builder sinkBuilder() {
        List<HostPort> targets = targetAddresses();
        RedisSink.Builder b;
        if (targetCluster) {
            b = RedisSink.cluster(targets.stream().map(HostPort::toString).toArray(String[]::new));
        } else {
            b = RedisSink.standalone(targets.get(0).toString());
        }
        for (int[] m : dbMapping()) {
            b = b.mapDatabase(m[0], m[1]);
        }
        String pw = targetPassword();
        if (pw != null) {
            b = targetUser != null ? b.user(targetUser, pw) : b.password(pw);
        }
        if (targetTls) {
            b = b.ssl(clientTls());
        }
        return b;
    }

    /** The {@code --map-db} pairs as {source db, target db}; a malformed one is a usage error. */
    List<int[]> dbMapping() {
        List<int[]> out = new ArrayList<>();
        for (String m : mapDb) {
            String[] p = m.split(":");
            try {
                if (p.length == 2) {
                    int from = Integer.parseInt(p[0].trim());
                    int to = Integer.parseInt(p[1].trim());
                    if (from >= 0 && to >= 0) {
                        out.add(new int[] {from, to});
                        continue;
                    }
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw usage("--map-db: expected SRC:DST (two db numbers), got '" + m + "'");
        }
        return out;
    }

    /** A one-line description of source and target, without secrets. */
    String describe() {
        return "source " + (sourceTls ? "tls://" : "") + (sourceUser != null ? sourceUser + "@" : "") + sourceAddress()
                + (sourcePassword() != null ? " (password set)" : "") + ", target "
                + (targetCluster ? "Redis Cluster " : "Redis ") + (targetTls ? "tls://" : "")
                + (targetUser != null ? targetUser + "@" : "") + String.join(",",
                targetAddresses().stream().map(HostPort::toString).toList())
                + (targetPassword() != null ? " (password set)" : "");
    }

    private static SslContext clientTls() {
        try {
            return SslContextBuilder.forClient().build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build a TLS context: " + e.getMessage(), e);
        }
    }

    private HostPort parse(String option, String value) {
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw usage(option + ": expected HOST:PORT, got '" + value + "'");
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw usage(option + ": bad port in '" + value + "'");
        }
        if (port < 1 || port > 65535 || host.isEmpty()) {
            throw usage(option + ": bad address '" + value + "'");
        }
        return new HostPort(host, port);
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
