package io.df2redis.scenarios;

import io.df2redis.tools.SyncRespClient;
import io.df2redis.sink.redis.verify.Report;
import io.df2redis.sink.redis.verify.Verifier;
import io.df2redis.sink.redis.verify.VerifyEndpoint;
import io.df2redis.sink.redis.verify.VerifyOptions;
import io.df2redis.testkit.dragonfly.DragonflySpec;
import io.df2redis.testkit.dragonfly.DragonflyUnderTest;
import io.df2redis.testkit.dragonfly.DragonflyUnderTest.Kind;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11's "done means": {@code df2redis.jar replicate} killed with SIGKILL at random points
 * under a live load of non-idempotent writes (INCR, APPEND, LPUSH, HINCRBY, XADD), and started
 * again with the same command each time. Every restart must resume with a partial sync (the master
 * keeps the backlog) — no second full sync — and at the end the target equals the source exactly:
 * an entry applied twice or lost would leave a counter, a list or a stream different.
 *
 * <p>Kill points are random (seeded; the seed is printed): while the restarted process is still in
 * its handshake, right after it resumed, or after a while in stable sync. The number of faults is
 * {@code df2redis.kills} (default 20) and is printed with the outcome.
 */
@Timeout(900)
class KillResumeIT {
    static final int KILLS = Integer.getInteger("df2redis.kills", 20);

    static List<Kind> kinds() {
        return DragonflyUnderTest.kinds();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void sigkilledReplicatorResumesExactlyOnce(Kind kind) throws Exception {
        long seed = Long.getLong("df2redis.seed", System.nanoTime());
        Random rnd = new Random(seed);
        System.out.println("[seed] KillResumeIT seed " + seed + " (-Ddf2redis.seed=" + seed + " repeats it)");
        DragonflySpec spec = DragonflySpec.builder().shards(2).backlogLength(1_000_000).build();
        Path logs = Files.createTempDirectory("df2redis-kill");
        try (DragonflyUnderTest m = DragonflyUnderTest.start(kind, spec);
             Target.Standalone target = Target.standalone();
             SyncRespClient c = m.client()) {
            Data.allTypes(c, "seed:", 200, 2000);
            List<String> args = List.of("replicate", "--source", m.host() + ":" + m.port(),
                    "--target", target.redis().address(), "--status-interval", "200ms");
            int faults = 0;
            try (NonIdempotentWorkload load = NonIdempotentWorkload.start(m.client(), "w:", 400, seed)) {
                CliProcess p = CliProcess.start(logs.resolve("run-0.log"), args);
                try {
                    p.awaitLine(l -> l.startsWith("stable sync"), Duration.ofSeconds(120), "a stable sync status line");
                    for (int i = 1; i <= KILLS; i++) {
                        TimeUnit.MILLISECONDS.sleep(100 + rnd.nextInt(1200));
                        p.kill9();
                        faults++;
                        p.close();
                        p = CliProcess.start(logs.resolve("run-" + i + ".log"), args);
                        switch (rnd.nextInt(3)) {
                            case 0 -> TimeUnit.MILLISECONDS.sleep(200 + rnd.nextInt(800)); // maybe mid-handshake
                            case 1 -> p.awaitLine(l -> l.contains("resumed from the checkpoint"),
                                    Duration.ofSeconds(60), "that it resumed");
                            default -> p.awaitLine(l -> l.startsWith("stable sync"), Duration.ofSeconds(60),
                                    "a stable sync status line");
                        }
                        assertThat(p.printed(l -> l.startsWith("df2redis: full sync")))
                                .as("run %d after SIGKILL %d resumed without a full sync (log %s)", i, i, logs)
                                .isFalse();
                    }
                    p.awaitLine(l -> l.contains("resumed from the checkpoint"), Duration.ofSeconds(60),
                            "that it resumed");
                    load.close();
                    Report report = awaitEqual(m, target, Duration.ofSeconds(120));
                    Faults.report("KillResumeIT " + m.name(), faults, "SIGKILL of df2redis.jar replicate",
                            load.ops() + " non-idempotent writes; " + report.summary());
                    assertThat(report.differences()).as("differences after %d SIGKILLs", faults).isEmpty();
                    assertThat(p.printed(l -> l.startsWith("df2redis: full sync"))).isFalse();
                    assertThat(p.stop(Duration.ofSeconds(60))).as("exit code on SIGTERM").isZero();
                } finally {
                    p.close();
                }
            }
        }
    }

    /** Verifies until the target equals the source (the last writes may still be on their way) or the time is up. */
    static Report awaitEqual(DragonflyUnderTest m, Target target, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        VerifyOptions o = VerifyOptions.builder().recheckDelay(Duration.ofMillis(200)).build();
        List<String> seen = new ArrayList<>();
        while (true) {
            Report r;
            try (Verifier v = Verifier.connect(VerifyEndpoint.of(m.host(), m.port()), target.verifyEndpoint(), o)) {
                r = v.verify();
            }
            if (r.differences().isEmpty() || System.nanoTime() > deadline) {
                return r;
            }
            seen.add(r.summary());
            TimeUnit.MILLISECONDS.sleep(500);
        }
    }
}
