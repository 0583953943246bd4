package io.df2redis.examples.cli;

import com.sun.net.httpserver.HttpServer;
import io.df2redis.micrometer.MeterNames;
import io.df2redis.micrometer.ReplicatorMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.df2redis.replica.Replicator;
import io.df2redis.sink.redis.RedisSink;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --metrics-port}: a run's {@link ReplicatorMetrics} in a Prometheus registry, served at
 * {@code GET /metrics} in Prometheus text format by the JDK's HTTP server, on loopback unless
 * {@code --metrics-host} says otherwise. The page holds counters and tags only, no credential.
 *
 * <p>Threads: requests are served on the server's one daemon thread; {@link #close()} from the run's
 * thread.
 */
final class MetricsEndpoint implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsEndpoint.class);
    /** The content type of Prometheus text format 0.0.4, what {@link PrometheusMeterRegistry#scrape()} writes. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final PrometheusMeterRegistry registry;

    private MetricsEndpoint(HttpServer server, PrometheusMeterRegistry registry) {
        this.server = server;
        this.registry = registry;
    }

    /**
     * Binds the replicator's and the sink's meters and starts serving them.
     *
     * @throws CliException (usage) when the address cannot be listened on
     */
    static MetricsEndpoint start(String host, int port, Replicator replicator, RedisSink sink) {
        HttpServer server = RunEndpoints.listen("--metrics-port", host, port);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ReplicatorMetrics.of(replicator).withSink(sink).bindTo(registry);
        server.createContext("/", RunEndpoints.getOnly("/metrics",
                () -> new RunEndpoints.Response(200, CONTENT_TYPE, scrape(registry))));
        server.start();
        MetricsEndpoint endpoint = new MetricsEndpoint(server, registry);
        LOG.debug("metrics served at {}", endpoint.url());
        return endpoint;
    }

    /**
     * A scrape with every meter known: flow and skip-reason meters are registered by the first read
     * that sees them (see {@link ReplicatorMetrics}), so one meter of each kind is read first — else a
     * scrape would show only the meters registered before it reached them.
     */
    static String scrape(PrometheusMeterRegistry registry) {
        registry.find(MeterNames.REPLICATOR_FLOWS).gauges().forEach(Gauge::value);
        registry.find(MeterNames.SINK_COMMANDS).functionCounters().forEach(FunctionCounter::count);
        return registry.scrape();
    }

    /** The URL of the metrics page (with the port actually bound). */
    String url() {
        return RunEndpoints.url(server, "/metrics");
    }

    /** Stops serving (a scrape under way may be cut) and closes the registry. Idempotent. */
    @Override
    public void close() {
        RunEndpoints.stop(server);
        registry.close();
    }
}
