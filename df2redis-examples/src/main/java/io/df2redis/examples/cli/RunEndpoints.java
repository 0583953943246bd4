package io.df2redis.examples.cli;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.df2redis.replica.Replicator;
import io.df2redis.sink.redis.RedisSink;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The HTTP endpoints of one run, each off unless asked for: {@code --metrics-port}
 * ({@link MetricsEndpoint}) and {@code --http-port} ({@link StatusEndpoint}). Both listen on
 * loopback unless their {@code --*-host} option says otherwise, each on the JDK's HTTP server with
 * one daemon thread ({@code df2redis-http}). {@link #start} and {@link #close} run on the run's
 * thread; requests on the servers' threads.
 */
final class RunEndpoints implements AutoCloseable {
    private final MetricsEndpoint metrics;
    private final StatusEndpoint status;

    private RunEndpoints(MetricsEndpoint metrics, StatusEndpoint status) {
        this.metrics = metrics;
        this.status = status;
    }

    /**
     * Starts the endpoints the options ask for and names their URLs on {@code err} (unless quiet).
     *
     * @throws CliException (usage) when an address cannot be listened on; nothing is left running
     */
    static RunEndpoints start(SyncRun run, Replicator replicator, RedisSink sink, boolean quiet, PrintWriter err) {
        SyncOptions o = run.opts;
        MetricsEndpoint metrics = o.metricsPort == null ? null
                : MetricsEndpoint.start(o.metricsHost, o.metricsPort, replicator, sink);
        StatusEndpoint status;
        try {
            status = o.httpPort == null ? null
                    : StatusEndpoint.start(o.httpHost, o.httpPort, o.readyMaxLag, run, replicator, sink);
        } catch (CliException e) {
            if (metrics != null) {
                metrics.close();
            }
            throw e;
        }
        if (!quiet) {
            if (metrics != null) {
                err.println("df2redis: metrics at " + metrics.url());
            }
            if (status != null) {
                err.println("df2redis: status at " + status.url("/status") + " (also /health, /ready)");
            }
        }
        return new RunEndpoints(metrics, status);
    }

    /** Stops both servers. Idempotent. */
    @Override
    public void close() {
        if (metrics != null) {
            metrics.close();
        }
        if (status != null) {
            status.close();
        }
    }

    /** A JDK HTTP server on {@code host:port} with one daemon thread, or a usage error. */
    static HttpServer listen(String option, String host, int port) {
        if (port < 0 || port > 65535) {
            throw new CliException(Df2RedisCli.USAGE, option + " " + port + " is not a port (0-65535)");
        }
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 16);
        } catch (IOException | IllegalArgumentException | SecurityException e) {
            throw new CliException(Df2RedisCli.USAGE, "cannot serve " + option + " on " + host + ":" + port + ": "
                    + e.getMessage());
        }
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "df2redis-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        return server;
    }

    /** Stops a server made by {@link #listen} and its thread. */
    static void stop(HttpServer server) {
        server.stop(0);
        if (server.getExecutor() instanceof ExecutorService e) {
            e.shutdownNow();
        }
    }

    /** The URL of {@code path} on a server. */
    static String url(HttpServer server, String path) {
        InetSocketAddress a = server.getAddress();
        String host = a.getAddress().getHostAddress();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort() + path;
    }

    /** A GET/HEAD-only handler for exactly {@code path}: 404 for other paths, 405 for other methods. */
    static HttpHandler getOnly(String path, Responder responder) {
        return exchange -> {
            try (exchange) {
                if (!path.equals(exchange.getRequestURI().getPath())) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                String method = exchange.getRequestMethod();
                if (!"GET".equals(method) && !"HEAD".equals(method)) {
                    exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                    exchange.sendResponseHeaders(405, -1);
                    return;
                }
                Response r;
                try {
                    r = responder.respond();
                } catch (RuntimeException e) {
                    exchange.sendResponseHeaders(500, -1);
                    return;
                }
                byte[] body = r.body().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", r.contentType());
                exchange.getResponseHeaders().set("Cache-Control", "no-store");
                if ("HEAD".equals(method)) {
                    exchange.sendResponseHeaders(r.status(), -1);
                    return;
                }
                exchange.sendResponseHeaders(r.status(), body.length == 0 ? -1 : body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        };
    }

    /** What a handler answers. */
    record Response(int status, String contentType, String body) {
    }

    /** Computes a response on the server's thread. */
    @FunctionalInterface
    interface Responder {
        Response respond();
    }
}
