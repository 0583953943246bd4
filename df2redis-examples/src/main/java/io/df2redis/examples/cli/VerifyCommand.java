package io.df2redis.examples.cli;

import io.df2redis.protocol.inspect.KeyspaceReader;
import io.df2redis.sink.redis.verify.Verifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code df2redis verify --source HOST:PORT --target HOST:PORT}: reads both keyspaces with
 * type-aware commands and reports every key that differs (missing, unexpected, type, value,
 * expiry beyond a tolerance). Exit code 0 when they are equal, 4 when they differ.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Compare a source (Dragonfly) and a target (Redis) key by key: type, value, TTL."})
final class VerifyCommand implements Callable<Integer> {
    @Option(names = "--source", required = true, paramLabel = "HOST:PORT", description = "the Dragonfly (or Redis) source")
    String source;

    @Option(names = "--source-password", description = "AUTH password of the source")
    String sourcePassword;

    @Option(names = "--source-user", description = "ACL user of the source")
    String sourceUser;

    @Option(names = "--target", required = true, paramLabel = "HOST:PORT", description = "the Redis target")
    String target;

    @Option(names = "--target-password", description = "AUTH password of the target")
    String targetPassword;

    @Option(names = "--target-user", description = "ACL user of the target")
    String targetUser;

    @Option(names = "--dbs", defaultValue = "16", description = "dbs to compare, 0..N-1 (default ${DEFAULT-VALUE})")
    int dbs;

    @Option(names = "--ttl-tolerance-ms", defaultValue = "2000",
            description = "how far expiries may differ (default ${DEFAULT-VALUE})")
    long tolerance;

    @Option(names = "--show", defaultValue = "50", description = "differences to print (default ${DEFAULT-VALUE})")
    int show;

    @Override
    public Integer call() throws Exception {
        Map<String, Object> s = read(source, sourceUser, sourcePassword);
        Map<String, Object> t = read(target, targetUser, targetPassword);
        Verifier.Report report = Verifier.compare(s, t, tolerance);
        System.out.printf("source %s: %d keys; target %s: %d keys; %d differences%n", source, report.sourceKeys(),
                target, report.targetKeys(), report.differences().size());
        report.differences().stream().limit(show).forEach(d -> System.out.println("  " + d));
        if (report.differences().size() > show) {
            System.out.printf("  … and %d more%n", report.differences().size() - show);
        }
        return report.equal() ? Df2RedisCli.OK : Df2RedisCli.DIFFERENCES;
    }

    private Map<String, Object> read(String hostPort, String user, String password) throws Exception {
        int colon = hostPort.lastIndexOf(':');
        return KeyspaceReader.read(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)), user,
                password, dbs);
    }
}
