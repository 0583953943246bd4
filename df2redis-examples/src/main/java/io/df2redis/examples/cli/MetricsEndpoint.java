package io.df2redis.examples.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.df2redis.micrometer.ReplicatorMetrics;
import io.df2redis.replica.Replicator;
import io.df2redis.sink.redis.RedisSink;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code --metrics-port}: a run's {@link ReplicatorMetrics} in a Prometheus registry, served at
 * {@code GET /metrics} in Prometheus text format by the JDK's HTTP server, on loopback unless
 * {@code --metrics-host} says otherwise. The page holds counters and addresses only, no credential.
 *
 * <p>Threads: requests are served on one daemon thread, {@code df2redis-metrics}; {@link #close()}
 * from the run's thread.
 */
final class MetricsEndpoint implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsEndpoint.class);
    /** The content type of Prometheus text format 0.0.4, what {@link PrometheusMeterRegistry#scrape()} writes. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;
    private final PrometheusMeterRegistry registry;

    private MetricsEndpoint(HttpServer server, ExecutorService executor, PrometheusMeterRegistry registry) {
        this.server = server;
        this.executor = executor;
        this.registry = registry;
    }

    /**
     * Binds the replicator's and the sink's meters and starts serving them.
     *
     * @throws CliException (usage) when the address cannot be listened on
     */
    static MetricsEndpoint start(String host, int port, Replicator replicator, RedisSink sink) {
        if (port < 0 || port > 65535) {
            throw new CliException(Df2RedisCli.USAGE, "--metrics-port " + port + " is not a port (0-65535)");
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ReplicatorMetrics.of(replicator).withSink(sink).bindTo(registry);
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 16);
        } catch (IOException | IllegalArgumentException | SecurityException e) {
            registry.close();
            throw new CliException(Df2RedisCli.USAGE, "cannot serve metrics on " + host + ":" + port + ": "
                    + e.getMessage());
        }
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "df2redis-metrics");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        MetricsEndpoint endpoint = new MetricsEndpoint(server, executor, registry);
        server.createContext("/metrics", endpoint::handle);
        server.start();
        LOG.debug("metrics served on {}", endpoint.url());
        return endpoint;
    }

    /** The URL of the metrics page (with the port actually bound). */
    String url() {
        InetSocketAddress a = server.getAddress();
        String host = a.getAddress().getHostAddress();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort() + "/metrics";
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"/metrics".equals(exchange.getRequestURI().getPath())) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            String method = exchange.getRequestMethod();
            if (!"GET".equals(method) && !"HEAD".equals(method)) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body;
            try {
                body = registry.scrape().getBytes(StandardCharsets.UTF_8);
            } catch (RuntimeException e) {
                LOG.warn("metrics scrape failed", e);
                exchange.sendResponseHeaders(500, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            if ("HEAD".equals(method)) {
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** Stops serving (a scrape under way may be cut) and closes the registry. Idempotent. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        registry.close();
    }
}
