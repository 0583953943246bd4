package io.df2redis.examples.cli;

import io.df2redis.sink.redis.verify.Difference;
import io.df2redis.sink.redis.verify.Report;
import io.df2redis.sink.redis.verify.Verifier;
import io.df2redis.sink.redis.verify.VerifyEndpoint;
import io.df2redis.sink.redis.verify.VerifyException;
import io.df2redis.sink.redis.verify.VerifyOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code df2redis verify --source HOST:PORT --target HOST:PORT}: scans both keyspaces in batches
 * and reports every key that differs (missing, unexpected, type, value, expiry beyond a
 * tolerance), then a summary. Exit code 0 when they are equal, 4 when they differ, 1 when
 * verification failed, 2 on a usage error.
 */
@Command(name = "verify", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compare a source (Dragonfly or Redis) and a target (Redis, Redis Cluster or Dragonfly) key by "
                + "key: type, value (streams with groups, consumers and pending entries), TTL. Memory stays "
                + "bounded whatever the size; keys that differ are re-checked once before they are reported.",
            "Differences go to stdout, the summary last. Passwords: --source-password-file/--target-password-file, "
                + "or the environment (DF2REDIS_SOURCE_PASSWORD, DF2REDIS_TARGET_PASSWORD); never printed."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:no difference", "1:verification failed (connection, TLS, credentials, timeout)",
            "2:usage error", "4:differences found"})
final class VerifyCommand implements Callable<Integer> {
    @Mixin
    ConnectionOptions.ForVerify connection;

    @Mixin
    LoggingOptions logging;

    @Option(names = "--ttl-tolerance", order = 40, paramLabel = "MS", defaultValue = "2000",
            description = "how far remaining TTLs may differ, in ms (default ${DEFAULT-VALUE})")
    long tolerance;

    @Option(names = "--max-differences", order = 41, paramLabel = "N", defaultValue = "1000",
            description = "stop after N differences (default ${DEFAULT-VALUE})")
    int maxDifferences;

    @Option(names = "--db", order = 42,
            paramLabel = "N", description = "a db to compare (repeatable; default: every db either "
            + "side has keys in)")
    List<Integer> dbs;

    @Option(names = "--unsupported", order = 43, paramLabel = "fail|skip", defaultValue = "fail",
            description = "source keys of a type the target cannot hold (JSON without ReJSON, Bloom without "
                    + "RedisBloom…): fail = report them MISSING (default); skip = count them as not compared, as "
                    + "after migrate/replicate --unsupported skip")
    String unsupported;

    @Option(names = "--recheck-delay", order = 44, paramLabel = "MS", defaultValue = "500",
            description = "wait before re-checking a differing key, in ms (default ${DEFAULT-VALUE})")
    long recheckDelay;

    @Override
    public Integer call() {
        logging.apply();
        connection.validate();
        if (maxDifferences < 1 || tolerance < 0 || recheckDelay < 0) {
            throw new picocli.CommandLine.ParameterException(connection.spec.commandLine(),
                    "--max-differences must be positive, --ttl-tolerance and --recheck-delay not negative");
        }
        if (!unsupported.equals("fail") && !unsupported.equals("skip")) {
            throw new picocli.CommandLine.ParameterException(connection.spec.commandLine(),
                    "--unsupported must be fail or skip, not " + unsupported);
        }
        if (dbs != null && dbs.stream().anyMatch(d -> d < 0)) {
            throw new picocli.CommandLine.ParameterException(connection.spec.commandLine(), "--db must not be negative");
        }
        VerifyOptions options = VerifyOptions.builder().ttlToleranceMs(tolerance).maxDifferences(maxDifferences)
                .dbs(dbs == null ? List.of() : dbs).recheckDelay(java.time.Duration.ofMillis(recheckDelay))
                .skipUnholdable(unsupported.equals("skip"))
                .keyFilter(connection.filter.keyFilter(connection.spec.commandLine())).build();
        java.io.PrintWriter out = Redactor.wrap(connection.spec.commandLine().getOut());
        java.io.PrintWriter err = Redactor.wrap(connection.spec.commandLine().getErr());
        VerifyEndpoint source = connection.sourceVerifyEndpoint();
        VerifyEndpoint target = connection.targetVerifyEndpoint();
        Report report;
        try (Verifier verifier = Verifier.connect(source, target, options)) {
            if (!logging.quiet) {
                err.println("verifying " + verifier.describe());
                err.flush();
            }
            report = verifier.verify();
        } catch (VerifyException e) {
            err.println("df2redis verify: " + e.getMessage());
            err.flush();
            return Df2RedisCli.FAILURE;
        }
        for (Difference d : report.differences()) {
            out.println(d);
        }
        for (Map.Entry<String, Long> n : report.notCompared().entrySet()) {
            out.println("not compared by value: " + n.getValue() + " key(s): " + n.getKey());
        }
        out.println(report.summary());
        out.flush();
        return report.equal() ? Df2RedisCli.OK : Df2RedisCli.DIFFERENCES;
    }
}
