package io.df2redis.benchmarks;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The issue's own measurement: {@code df2redis.jar migrate} as a user runs it, a fresh JVM per run
 * (start-up, class loading and JIT compilation included), timed by what the CLI reports for its full
 * sync ({@code migrated N keys (...) in T, R keys/s}) and by the process's wall time.
 */
final class ColdCli {
    private static final Pattern SUMMARY = Pattern.compile("migrated ([\\d,]+) keys \\(.*\\) in .*, ([\\d,]+) keys/s");

    /** One run: the CLI's reported rate and the process's wall time. */
    record Result(double reportedKeysPerSecond, double wallSeconds) {
    }

    private final Path jar;
    private final List<String> jvmOptions;

    /**
     * @param jar the CLI's jar ({@code df2redis-examples/target/df2redis.jar})
     * @param jvmOptions options of the CLI's JVM (e.g. {@code -XX:+UseParallelGC}), may be empty
     */
    ColdCli(Path jar, List<String> jvmOptions) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("no CLI jar at " + jar.toAbsolutePath()
                    + ": build it with ./mvnw -B -q -DskipTests package -pl df2redis-examples -am");
        }
        this.jar = jar;
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    /** Runs {@code migrate} from a fresh run of {@code source} into the empty {@code redis}; checks every key arrived. */
    Result run(Source source, RedisTarget redis, long keys) throws Exception {
        try (Source.Run replay = source.run()) {
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(jvmOptions);
            cmd.addAll(List.of("-jar", jar.toString(), "migrate", "--source", replay.host() + ":" + replay.port(),
                    "--target", redis.address()));
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int rc = p.waitFor();
            double wall = (System.nanoTime() - t0) / 1e9;
            if (rc != 0) {
                throw new IllegalStateException("df2redis.jar migrate exited " + rc + ":\n" + tail(out));
            }
            Matcher m = SUMMARY.matcher(out);
            if (!m.find()) {
                throw new IllegalStateException("no summary line in the CLI's output:\n" + tail(out));
            }
            long migrated = Long.parseLong(m.group(1).replace(",", ""));
            long dbsize = redis.dbsize();
            if (migrated != keys || dbsize != keys) {
                throw new IllegalStateException("the CLI migrated " + migrated + " keys and Redis holds " + dbsize
                        + ", expected " + keys);
            }
            return new Result(Long.parseLong(m.group(2).replace(",", "")), wall);
        }
    }

    private static String tail(String s) {
        return s.length() <= 4000 ? s : "..." + s.substring(s.length() - 4000);
    }

    @Override
    public String toString() {
        return "java " + String.join(" ", jvmOptions) + (jvmOptions.isEmpty() ? "" : " ") + "-jar " + jar;
    }
}
