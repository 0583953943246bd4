package io.df2redis.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.df2redis.replica.FlowStats;
import io.df2redis.replica.ReplicationStats;
import io.df2redis.replica.Replicator;
import io.df2redis.sink.redis.RedisSink;
import io.df2redis.sink.redis.RedisSinkStats;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * {@code --summary-json FILE}: the figures of {@link RunSummary}'s text summary as one JSON object,
 * written when the run ends (on the run's thread), atomically (a temporary file in the same
 * directory, then moved over FILE), with the same secret scrubbing as the CLI's output.
 */
final class SummaryJson {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SummaryJson() {
    }

    /**
     * The summary of a run that ended with exit code {@code code}.
     *
     * @return field name to value, in a stable order
     */
    static Map<String, Object> of(SyncRun run, Replicator r, RedisSink s, int code) {
        ReplicationStats st = r.stats();
        if (st.flows().isEmpty() && run.snapshotStats != null) {
            st = run.snapshotStats;
        }
        RedisSinkStats ss = s.stats();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command", run.mode == SyncRun.Mode.MIGRATE ? "migrate" : "replicate");
        m.put("exitCode", code);
        m.put("ok", code == Df2RedisCli.OK);
        m.put("durationMs", Math.max(1, (System.nanoTime() - run.startNanos) / 1_000_000));
        if (run.fullSyncStartNanos != 0) {
            long end = run.fullSyncEndNanos != 0 ? run.fullSyncEndNanos : System.nanoTime();
            m.put("fullSyncMs", Math.max(1, (end - run.fullSyncStartNanos) / 1_000_000));
        }
        m.put("sourceKeys", run.sourceKeys >= 0 ? run.sourceKeys : null);
        m.put("snapshotKeys", st.flows().stream().mapToLong(FlowStats::entries).sum());
        m.put("journalEntries", st.flows().stream().mapToLong(FlowStats::journalEntries).sum());
        m.put("bytesReceived", st.totalBytesReceived());
        m.put("appliedLsn", st.flows().stream().map(FlowStats::appliedLsn).toList());
        m.put("fullSyncs", run.fullSyncs.get());
        m.put("sessionErrors", run.sessionErrors.get());
        m.put("lastError", run.lastError);
        m.put("started", true);
        m.put("start", run.startReport);
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("cluster", run.conn.targetCluster);
        t.put("commands", ss.commands());
        t.put("operations", ss.operationsSent());
        t.put("bytesSent", ss.bytesSent());
        t.put("errors", ss.errors());
        t.put("skipped", ss.skippedTotal());
        t.put("skippedByReason", new TreeMap<>(ss.skippedByReason()));
        t.put("movedRedirects", ss.movedRedirects());
        t.put("askRedirects", ss.askRedirects());
        t.put("maxOpsPerSecond", ss.maxOpsPerSecond());
        t.put("maxBytesPerSecond", ss.maxBytesPerSecond());
        t.put("rateLimitWaitMs", ss.rateLimitWaitNanos() / 1_000_000);
        m.put("target", t);
        if (run.checkpoint != null) {
            m.put("checkpoint", RunSummary.checkpointLine(run, r));
        }
        return m;
    }

    /**
     * The summary of a run that ended before replication started (a pre-flight check failed, a stop
     * came first): the command, the exit code, the time, and why.
     *
     * @return field name to value
     */
    static Map<String, Object> beforeStart(SyncRun run, int code) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command", run.mode == SyncRun.Mode.MIGRATE ? "migrate" : "replicate");
        m.put("exitCode", code);
        m.put("ok", code == Df2RedisCli.OK);
        m.put("durationMs", Math.max(1, (System.nanoTime() - run.startNanos) / 1_000_000));
        m.put("started", false);
        m.put("lastError", run.lastError);
        return m;
    }

    /**
     * Writes the summary into {@code --summary-json}'s file when it was given; a failure to write it is
     * said on stderr and does not change the run's exit code.
     *
     * @param summary makes the summary (only called when there is a file)
     */
    static void writeIfAsked(SyncRun run, Supplier<Map<String, Object>> summary) {
        Path file = run.opts.summaryJson;
        if (file == null) {
            return;
        }
        try {
            write(summary.get(), file);
        } catch (IOException | RuntimeException e) {
            run.err.println("df2redis: cannot write the summary to " + file + ": " + e.getMessage());
            run.err.flush();
        }
    }

    /**
     * Writes {@code summary} to {@code file}.
     *
     * @throws IOException when it cannot be written
     */
    static void write(Map<String, Object> summary, Path file) throws IOException {
        String text = Redactor.scrub(JSON.writeValueAsString(summary)) + "\n";
        Path abs = file.toAbsolutePath();
        Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
