package io.df2redis.examples.cli;

import io.df2redis.protocol.net.HostAndPort;
import io.df2redis.replica.DragonflyEndpoint;
import io.df2redis.sink.redis.RedisSink;
import io.df2redis.sink.redis.ServerProbe;
import io.df2redis.sink.redis.verify.VerifyEndpoint;
import io.netty.handler.ssl.SslContext;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The source (Dragonfly) and target (Redis) connection options shared by the commands that talk to
 * both: credentials (options, password files, or the environment variables
 * {@code DF2REDIS_SOURCE_PASSWORD} / {@code DF2REDIS_TARGET_PASSWORD}), TLS (CA file, client
 * certificate and key, an explicit and loudly logged opt-out of verification) and Cluster. The
 * address options themselves ({@code --source}, {@code --target}) are declared by the two mixins
 * {@link ForSync} and {@link ForVerify}, whose help texts differ.
 *
 * <p><b>Secrets.</b> Passwords are never printed: {@link #describe()} says "password set", every
 * error names the option or the file, never the value, and every password is registered with the
 * {@link Redactor}. A {@code redis://user:password@host} URI in {@code --source}/{@code --target} is
 * refused as a usage error (exit 2) without echoing the password: a password on the command line is
 * visible to every user in the process list and kept in shell history, so the CLI takes passwords
 * from files ({@code --source-password-file}), the environment, or (discouraged) the password options.
 *
 * <p>Password files are read by {@link PasswordSource}, TLS files turned into contexts by
 * {@link TlsFiles}, addresses parsed by {@link AddressOption}. What is left (a little over 400
 * lines) is one piece: the picocli option fields of both sides and the endpoints built from them.
 *
 * <p><b>TLS.</b> One {@link SslContext} per side, built once from the options, is used by the
 * pre-flight checks and by the replication alike, with host-name verification unless
 * {@code --source-tls-insecure}/{@code --target-tls-insecure} turns every verification off.
 */
abstract class ConnectionOptions {
    /** Environment variable read when neither {@code --source-password} nor {@code --source-password-file} is given. */
    public static final String SOURCE_PASSWORD_ENV = "DF2REDIS_SOURCE_PASSWORD";
    /** Environment variable read when neither {@code --target-password} nor {@code --target-password-file} is given. */
    public static final String TARGET_PASSWORD_ENV = "DF2REDIS_TARGET_PASSWORD";

    static final String URI_HELP = "HOST:PORT, or redis://HOST:PORT (rediss:// for TLS); credentials in the "
            + "URI are refused (exit 2): use the password options";

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    FilterOptions filter;

    @Option(names = "--source-user", order = 2,
            paramLabel = "USER", description = "ACL user of the source (needs a password)")
    String sourceUser;

    @Option(names = "--source-password", order = 3, paramLabel = "PASSWORD", arity = "1",
            description = "AUTH password of the source; visible in the process list, prefer --source-password-file "
                    + "or env " + SOURCE_PASSWORD_ENV)
    String sourcePassword;

    @Option(names = "--source-password-file", order = 4, paramLabel = "FILE",
            description = "read the source's password from FILE (its content; a trailing newline is ignored)")
    Path sourcePasswordFile;

    @Option(names = "--source-tls", order = 5,
            description = "connect to the source with TLS (implied by rediss:// and the "
            + "other --source-tls/ca/cert options); certificates checked against the JVM trust store or --source-ca")
    boolean sourceTls;

    @Option(names = "--source-ca", order = 6,
            paramLabel = "PEM", description = "trust the source's certificate if a CA in "
            + "this PEM file signed it (instead of the JVM trust store); implies TLS")
    Path sourceCa;

    @Option(names = "--source-cert", order = 7,
            paramLabel = "PEM", description = "client certificate for mutual TLS with "
            + "the source (PEM; with --source-key); implies TLS")
    Path sourceCert;

    @Option(names = "--source-key", order = 8,
            paramLabel = "PEM", description = "private key of --source-cert (PEM, PKCS#8, "
            + "unencrypted)")
    Path sourceKey;

    @Option(names = "--source-tls-insecure", order = 9,
            description = "TLS to the source WITHOUT any verification: every "
            + "certificate and host name is accepted (logged as a warning); only for tests")
    boolean sourceTlsInsecure;

    @Option(names = "--target-cluster", order = 11,
            description = "the target is a Redis Cluster (--target names seed nodes)")
    boolean targetCluster;

    @Option(names = "--target-user", order = 13,
            paramLabel = "USER", description = "ACL user of the target (needs a password)")
    String targetUser;

    @Option(names = "--target-password", order = 14, paramLabel = "PASSWORD", arity = "1",
            description = "AUTH password of the target; visible in the process list, prefer --target-password-file "
                    + "or env " + TARGET_PASSWORD_ENV)
    String targetPassword;

    @Option(names = "--target-password-file", order = 15, paramLabel = "FILE",
            description = "read the target's password from FILE (its content; a trailing newline is ignored)")
    Path targetPasswordFile;

    @Option(names = "--target-tls", order = 16,
            description = "connect to the target with TLS (implied by rediss:// and the "
            + "other --target-tls/ca/cert options); certificates checked against the JVM trust store or --target-ca")
    boolean targetTls;

    @Option(names = "--target-ca", order = 17,
            paramLabel = "PEM", description = "trust the target's certificate if a CA in "
            + "this PEM file signed it (instead of the JVM trust store); implies TLS")
    Path targetCa;

    @Option(names = "--target-cert", order = 18,
            paramLabel = "PEM", description = "client certificate for mutual TLS with "
            + "the target (PEM; with --target-key); implies TLS")
    Path targetCert;

    @Option(names = "--target-key", order = 19,
            paramLabel = "PEM", description = "private key of --target-cert (PEM, PKCS#8, "
            + "unencrypted)")
    Path targetKey;

    @Option(names = "--target-tls-insecure", order = 20,
            description = "TLS to the target WITHOUT any verification: every "
            + "certificate and host name is accepted (logged as a warning); only for tests")
    boolean targetTlsInsecure;

    private boolean sourceSchemeTls;
    private boolean targetSchemeTls;
    private String resolvedSourcePassword;
    private String resolvedTargetPassword;
    private boolean passwordsResolved;
    private SslContext sourceSsl;
    private SslContext targetSsl;
    private boolean tlsBuilt;

    /** The {@code --source} value. */
    abstract String sourceSpec();

    /** The {@code --target} value. */
    abstract String targetSpec();

    /** The {@code --map-db} values (none for {@code verify}). */
    List<String> mapDbSpecs() {
        return List.of();
    }

    /**
     * A parsed {@code host:port} (parsed by {@link HostAndPort}, which it prints as); kept as the
     * CLI's map key until {@code TargetIdentity}, its last user besides the pre-flight checks, goes.
     */
    record HostPort(String host, int port) {
        @Override
        public String toString() {
            return HostAndPort.of(host, port).toString();
        }
    }

    /** The source address; a malformed one is a usage error. */
    HostPort sourceAddress() {
        return address("--source", sourceSpec(), true);
    }

    /** The target addresses (one unless {@code --target-cluster}); a malformed one is a usage error. */
    List<HostPort> targetAddresses() {
        List<HostPort> out = new ArrayList<>();
        for (String s : targetSpec().split(",")) {
            if (!s.isBlank()) {
                out.add(address("--target", s.trim(), false));
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

    /** The source's password (option, file or environment), or null. */
    String sourcePassword() {
        resolvePasswords();
        return resolvedSourcePassword;
    }

    /** The target's password (option, file or environment), or null. */
    String targetPassword() {
        resolvePasswords();
        return resolvedTargetPassword;
    }

    /** Where the source's password came from, for messages: {@code --source-password-file /run/pw}. */
    String sourcePasswordOrigin() {
        return origin(sourcePassword, sourcePasswordFile, SOURCE_PASSWORD_ENV);
    }

    /** Where the target's password came from, for messages. */
    String targetPasswordOrigin() {
        return origin(targetPassword, targetPasswordFile, TARGET_PASSWORD_ENV);
    }

    private static String origin(String option, Path file, String env) {
        return option != null ? "--" + (env.equals(SOURCE_PASSWORD_ENV) ? "source" : "target") + "-password"
                : file != null ? "--" + (env.equals(SOURCE_PASSWORD_ENV) ? "source" : "target") + "-password-file "
                + file : "env " + env;
    }

    /** Checks the options that picocli cannot check alone (throws a usage error); builds the TLS contexts. */
    void validate() {
        sourceAddress();
        targetAddresses();
        dbMapping();
        resolvePasswords();
        if (sourceUser != null && sourcePassword() == null) {
            throw usage("--source-user needs --source-password, --source-password-file or env " + SOURCE_PASSWORD_ENV);
        }
        if (targetUser != null && targetPassword() == null) {
            throw usage("--target-user needs --target-password, --target-password-file or env " + TARGET_PASSWORD_ENV);
        }
        buildTls();
    }

    /** Whether the source is reached with TLS. */
    boolean sourceUsesTls() {
        return sourceTls || sourceSchemeTls || sourceCa != null || sourceCert != null || sourceTlsInsecure;
    }

    /** Whether the target is reached with TLS. */
    boolean targetUsesTls() {
        return targetTls || targetSchemeTls || targetCa != null || targetCert != null || targetTlsInsecure;
    }

    /** The source's TLS context, or null for plain TCP. */
    SslContext sourceSsl() {
        buildTls();
        return sourceSsl;
    }

    /** The target's TLS context, or null for plain TCP. */
    SslContext targetSsl() {
        buildTls();
        return targetSsl;
    }

    /** Whether the source's certificate must name its host (TLS on and not {@code --source-tls-insecure}). */
    boolean sourceVerifyHostname() {
        return !sourceTlsInsecure;
    }

    /** Whether the target's certificate must name its host. */
    boolean targetVerifyHostname() {
        return !targetTlsInsecure;
    }

    /** The source as a replication endpoint, with credentials and TLS. */
    DragonflyEndpoint sourceEndpoint() {
        HostPort hp = sourceAddress();
        DragonflyEndpoint ep = DragonflyEndpoint.of(hp.host(), hp.port());
        String pw = sourcePassword();
        if (pw != null) {
            ep = sourceUser != null ? ep.withUser(sourceUser, pw) : ep.withPassword(pw);
        }
        if (sourceUsesTls()) {
            // --source-tls-insecure also switches the replicator's own host-name check off
            ep = ep.withTls(sourceSsl()).verifyHostname(sourceVerifyHostname());
        }
        return ep;
    }

    /** A pre-flight probe of the source with the replication's credentials and TLS settings. */
    ServerProbe.Builder sourceProbe() {
        HostPort hp = sourceAddress();
        return ServerProbe.to(hp.host(), hp.port()).auth(sourceUser, sourcePassword())
                .tls(sourceUsesTls() ? sourceSsl() : null, sourceVerifyHostname());
    }

    /** A pre-flight probe of one target node with the sink's credentials and TLS settings. */
    ServerProbe.Builder targetProbe(HostPort node) {
        return ServerProbe.to(node.host(), node.port()).auth(targetUser, targetPassword())
                .tls(targetUsesTls() ? targetSsl() : null, targetVerifyHostname());
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
        b = b.keyFilter(filter.keyFilter(spec.commandLine()));
        String pw = targetPassword();
        if (pw != null) {
            b = targetUser != null ? b.user(targetUser, pw) : b.password(pw);
        }
        if (targetUsesTls()) {
            b = b.ssl(targetSsl()).verifyHostname(targetVerifyHostname());
        }
        return b;
    }

    /** The source as a verification endpoint. */
    VerifyEndpoint sourceVerifyEndpoint() {
        HostPort s = sourceAddress();
        VerifyEndpoint ep = VerifyEndpoint.of(s.host(), s.port());
        if (sourceUsesTls()) {
            ep = ep.withSsl(sourceSsl()).withVerifyHostname(sourceVerifyHostname());
        }
        return sourcePassword() != null ? ep.withUser(sourceUser, sourcePassword()) : ep;
    }

    /** The target as a verification endpoint (a cluster with {@code --target-cluster}). */
    VerifyEndpoint targetVerifyEndpoint() {
        HostPort t = targetAddresses().get(0);
        VerifyEndpoint ep = VerifyEndpoint.of(t.host(), t.port());
        if (targetUsesTls()) {
            ep = ep.withSsl(targetSsl()).withVerifyHostname(targetVerifyHostname());
        }
        if (targetPassword() != null) {
            ep = ep.withUser(targetUser, targetPassword());
        }
        return targetCluster ? ep.asCluster() : ep;
    }

    /** The {@code --map-db} pairs as {source db, target db}; a malformed one is a usage error. */
    List<int[]> dbMapping() {
        List<int[]> out = new ArrayList<>();
        for (String m : mapDbSpecs()) {
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
        return "source " + sourceKind() + " " + sourceAddress() + notes(sourceUser, sourcePassword(), sourceUsesTls(),
                sourceTlsInsecure, sourceCa, sourceCert) + ", target " + (targetCluster ? "Redis Cluster " : "Redis ")
                + String.join(",", targetAddresses().stream().map(HostPort::toString).toList())
                + notes(targetUser, targetPassword(), targetUsesTls(), targetTlsInsecure, targetCa, targetCert);
    }

    /** What the source is, in messages: {@code Dragonfly} (replicate/migrate) or {@code server} (verify). */
    String sourceKind() {
        return "Dragonfly";
    }

    private static String notes(String user, String password, boolean tls, boolean insecure, Path ca, Path cert) {
        List<String> n = new ArrayList<>();
        if (tls) {
            n.add(insecure ? "TLS WITHOUT verification" : "TLS" + (ca != null ? " with CA file" : "")
                    + (cert != null ? " and client certificate" : ""));
        }
        if (user != null) {
            n.add("user " + user);
        }
        if (password != null) {
            n.add("password set");
        }
        return n.isEmpty() ? "" : " (" + String.join(", ", n) + ")";
    }

    // ------------------------------------------------------------------ passwords

    private void resolvePasswords() {
        if (passwordsResolved) {
            return;
        }
        resolvedSourcePassword = PasswordSource.resolve(this, "--source-password", sourcePassword, sourcePasswordFile, SOURCE_PASSWORD_ENV);
        resolvedTargetPassword = PasswordSource.resolve(this, "--target-password", targetPassword, targetPasswordFile, TARGET_PASSWORD_ENV);
        passwordsResolved = true;
    }

    // ------------------------------------------------------------------ TLS

    private void buildTls() {
        if (tlsBuilt) {
            return;
        }
        sourceSsl = sourceUsesTls() ? TlsFiles.context(this, "--source", sourceCa, sourceCert, sourceKey, sourceTlsInsecure) : null;
        if (sourceSsl == null && sourceKey != null) {
            throw usage("--source-key needs --source-cert");
        }
        targetSsl = targetUsesTls() ? TlsFiles.context(this, "--target", targetCa, targetCert, targetKey, targetTlsInsecure) : null;
        if (targetSsl == null && targetKey != null) {
            throw usage("--target-key needs --target-cert");
        }
        tlsBuilt = true;
    }

    // ------------------------------------------------------------------ addresses

    private HostPort address(String option, String value, boolean source) {
        AddressOption.Parsed a = AddressOption.parse(this, option, value, source ? SOURCE_PASSWORD_ENV : TARGET_PASSWORD_ENV,
                source ? "" : "; use --map-db SRC:DST");
        if (a.tls() && source) {
            sourceSchemeTls = true;
        } else if (a.tls()) {
            targetSchemeTls = true;
        }
        return a.address();
    }

    CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    /** The addresses of {@code replicate} and {@code migrate}: a Dragonfly master into Redis. A picocli mixin. */
    static final class ForSync extends ConnectionOptions {
        @Option(names = "--source", order = 1, required = true, paramLabel = "HOST:PORT",
                description = "the Dragonfly master to replicate: " + URI_HELP)
        String source;

        @Option(names = "--target", order = 10, required = true, paramLabel = "HOST:PORT",
                description = "the Redis to write into: " + URI_HELP + "; with --target-cluster, one or more seed "
                        + "nodes, comma-separated")
        String target;

        @Option(names = "--map-db", order = 12, paramLabel = "SRC:DST",
                description = "write source db SRC into target db DST (repeatable); a Redis Cluster holds db 0 only, "
                        + "so data of other dbs needs e.g. --map-db 3:0 (merged into db 0) or the run fails")
        List<String> mapDb = new ArrayList<>();

        @Override
        String sourceSpec() {
            return source;
        }

        @Override
        String targetSpec() {
            return target;
        }

        @Override
        List<String> mapDbSpecs() {
            return mapDb;
        }
    }

    /** The addresses of {@code verify}: any two Redis-protocol servers to compare. A picocli mixin. */
    static final class ForVerify extends ConnectionOptions {
        @Option(names = "--source", order = 1, required = true, paramLabel = "HOST:PORT",
                description = "the server whose keys are the reference (Dragonfly or Redis): " + URI_HELP)
        String source;

        @Option(names = "--target", order = 10, required = true, paramLabel = "HOST:PORT",
                description = "the server compared with it (Redis, Dragonfly, or with --target-cluster a Redis "
                        + "Cluster through one of its nodes): " + URI_HELP)
        String target;

        @Override
        String sourceSpec() {
            return source;
        }

        @Override
        String targetSpec() {
            return target;
        }

        @Override
        String sourceKind() {
            return "server";
        }
    }
}
