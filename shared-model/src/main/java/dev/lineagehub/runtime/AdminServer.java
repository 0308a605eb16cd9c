package dev.lineagehub.runtime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * The admin port: Prometheus {@code /metrics}, {@code /health/live} and {@code /health/ready} (see
 * {@link Health}). It opens before anything that can wait on the broker, so a broker that is down at
 * start-up makes the pod not ready, never restarted.
 */
final class AdminServer implements AutoCloseable {

    private final HttpServer server;

    AdminServer(int port, PrometheusMeterRegistry registry, Health health) throws IOException {
        server = HttpServer.create(new InetSocketAddress(port), 0);
        server.setExecutor(Executors.newSingleThreadExecutor(DaemonThreads.named("admin-http")));
        server.createContext("/metrics", exchange ->
                respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
        server.createContext("/health/live", exchange -> health(exchange, health.live()));
        server.createContext("/health/ready", exchange -> health(exchange, health.ready()));
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    private static void health(HttpExchange exchange, Health.Report report) throws IOException {
        respond(exchange, report.up() ? 200 : 503, "application/json", report.json());
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
