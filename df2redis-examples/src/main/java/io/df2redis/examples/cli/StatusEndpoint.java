package io.df2redis.examples.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.df2redis.replica.FlowStats;
import io.df2redis.replica.MasterInfo;
import io.df2redis.replica.ReplicationException;
import io.df2redis.replica.ReplicationState;
import io.df2redis.replica.ReplicationStats;
import io.df2redis.replica.Replicator;
import io.df2redis.sink.redis.RedisSink;
import io.df2redis.sink.redis.RedisSinkStats;

import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * {@code --http-port}: a run's state over HTTP, for orchestrators and operators.
 * <ul>
 * <li>{@code GET /health}: 200 while the process runs.</li>
 * <li>{@code GET /ready}: 200 once stable sync is reached and no flow lags by more than
 *     {@code --ready-max-lag} journal entries, else 503; the body says why.</li>
 * <li>{@code GET /status}: JSON — mode, state, master (address, release, id, flows), target, per-flow
 *     progress and lag, totals, the sink's counters, the last error.</li>
 * </ul>
 * Credentials never appear: addresses come from the endpoints' password-free forms, and every body
 * passes through {@link Redactor#scrub} as a last defence.
 *
 * <p>Threads: requests on the server's one daemon thread, reading the run's volatile fields and the
 * replicator's and sink's {@code stats()}; {@link #close()} from the run's thread.
 */
final class StatusEndpoint implements AutoCloseable {
    static final String JSON = "application/json; charset=utf-8";
    static final String HTML = "text/html; charset=utf-8";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpServer server;
    private final long readyMaxLag;
    private final SyncRun run;
    private final Replicator replicator;
    private final RedisSink sink;
    private final long startNanos = System.nanoTime();

    private StatusEndpoint(HttpServer server, long readyMaxLag, SyncRun run, Replicator replicator, RedisSink sink) {
        this.server = server;
        this.readyMaxLag = readyMaxLag;
        this.run = run;
        this.replicator = replicator;
        this.sink = sink;
    }

    /**
     * Starts serving.
     *
     * @throws CliException (usage) when the address cannot be listened on or the lag threshold is negative
     */
    static StatusEndpoint start(String host, int port, long readyMaxLag, SyncRun run, Replicator replicator,
                                RedisSink sink) {
        if (readyMaxLag < 0) {
            throw new CliException(Df2RedisCli.USAGE, "--ready-max-lag must be 0 or more");
        }
        HttpServer server = RunEndpoints.listen("--http-port", host, port);
        StatusEndpoint e = new StatusEndpoint(server, readyMaxLag, run, replicator, sink);
        server.createContext("/health", RunEndpoints.getOnly("/health", () -> json(200, health())));
        server.createContext("/ready", RunEndpoints.getOnly("/ready", e::ready));
        server.createContext("/status", RunEndpoints.getOnly("/status", () -> json(200, e.status())));
        String page = page();
        server.createContext("/", RunEndpoints.getOnly("/", () -> new RunEndpoints.Response(200, HTML, page)));
        server.start();
        return e;
    }

    /** The URL of {@code path} on this server (with the port actually bound). */
    String url(String path) {
        return RunEndpoints.url(server, path);
    }

    /**
     * The status page ({@code /}): one self-contained HTML file in the jar (no CDN) that polls
     * {@code /status} every second and shows the full sync's progress per flow and a live chart of
     * applied entries per second and lag.
     */
    static String page() {
        try (java.io.InputStream in = StatusEndpoint.class.getResourceAsStream("status.html")) {
            if (in == null) {
                throw new IllegalStateException("status.html is missing from the jar");
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static ObjectNode health() {
        return MAPPER.createObjectNode().put("status", "up");
    }

    private RunEndpoints.Response ready() {
        ReplicationStats st = replicator.stats();
        String why = null;
        if (st.state() != ReplicationState.STABLE_SYNC) {
            why = "state " + name(st.state());
        } else {
            for (FlowStats f : st.flows()) {
                if (f.lagEntries() > readyMaxLag) {
                    why = "flow " + f.flow() + " lags " + f.lagEntries() + " entries (more than " + readyMaxLag + ")";
                    break;
                }
            }
        }
        ObjectNode body = MAPPER.createObjectNode().put("ready", why == null).put("state", name(st.state()));
        if (why != null) {
            body.put("reason", why);
        }
        return json(why == null ? 200 : 503, body);
    }

    /** The {@code /status} document. */
    ObjectNode status() {
        ReplicationStats st = replicator.stats();
        ObjectNode doc = MAPPER.createObjectNode();
        doc.put("mode", run.mode.name().toLowerCase(Locale.ROOT));
        doc.put("state", name(st.state()));
        doc.put("uptimeMillis", (System.nanoTime() - startNanos) / 1_000_000);
        ObjectNode master = doc.putObject("master");
        master.put("address", replicator.options().source().address());
        MasterInfo mi = replicator.masterInfo();
        if (mi != null) {
            master.put("release", mi.release()).put("masterId", mi.masterId()).put("flows", mi.flowCount());
        }
        doc.put("target", sink.endpoint().toString());
        ArrayNode flows = doc.putArray("flows");
        long keys = 0;
        long journal = 0;
        long lag = 0;
        long lagMillis = 0;
        for (FlowStats f : st.flows()) {
            flows.addObject().put("flow", f.flow()).put("snapshotKeys", f.entries())
                    .put("journalEntries", f.journalEntries()).put("receivedLsn", f.receivedLsn())
                    .put("appliedLsn", f.appliedLsn()).put("ackedLsn", f.ackedLsn()).put("lagEntries", f.lagEntries())
                    .put("lagMillis", f.lag().toMillis()).put("appliedBytes", f.appliedBytes())
                    .put("queuedBytes", f.queuedBytes()).put("spilledBytes", f.spilledBytes())
                    .put("spillAgeMillis", f.oldestSpilled().toMillis()).put("bytesReceived", f.bytesReceived());
            keys += f.entries();
            journal += f.journalEntries();
            lag += f.lagEntries();
            lagMillis = Math.max(lagMillis, f.lag().toMillis());
        }
        ObjectNode totals = doc.putObject("totals");
        totals.put("snapshotKeys", keys);
        long sourceKeys = run.sourceKeys;
        if (sourceKeys >= 0) {
            totals.put("sourceKeys", sourceKeys);
        }
        totals.put("journalEntries", journal).put("lagEntries", lag).put("lagMillis", lagMillis).put("bytesReceived", st.totalBytesReceived())
                .put("sessions", st.sessions()).put("fullSyncs", st.fullSyncs()).put("deadLetters", st.deadLetters());
        RedisSinkStats ss = sink.stats();
        ObjectNode s = doc.putObject("sink");
        s.put("commands", ss.commands()).put("operations", ss.operationsSent()).put("inFlight", ss.inFlight()).put("errors", ss.errors()).put("skipped", ss.skippedTotal())
                .put("movedRedirects", ss.movedRedirects()).put("askRedirects", ss.askRedirects());
        ObjectNode reasons = s.putObject("skippedByReason");
        ss.skippedByReason().forEach(reasons::put);
        ReplicationException failure = replicator.failure();
        String last = failure != null ? failure.getMessage() : run.lastError;
        if (last == null) {
            doc.putNull("lastError");
        } else {
            doc.put("lastError", last);
        }
        return doc;
    }

    private static String name(ReplicationState s) {
        return s.name().toLowerCase(Locale.ROOT);
    }

    private static RunEndpoints.Response json(int status, ObjectNode body) {
        try {
            return new RunEndpoints.Response(status, JSON, Redactor.scrub(MAPPER.writeValueAsString(body)));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops serving. Idempotent. */
    @Override
    public void close() {
        RunEndpoints.stop(server);
    }
}
