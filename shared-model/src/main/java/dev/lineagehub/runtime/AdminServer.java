package dev.lineagehub.runtime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import org.apache.kafka.streams.KafkaStreams;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The admin port: Prometheus {@code /metrics}, {@code /health/live} and {@code /health/ready}.
 *
 * <p>Liveness fails only when Kafka Streams is in ERROR or NOT_RUNNING: a sink outage must never make
 * Kubernetes restart the pod, since a restart cannot fix the sink and only adds a rebalance. Readiness
 * holds while Streams is RUNNING, not while it rebalances.
 */
final class AdminServer implements AutoCloseable {

    private final HttpServer server;

    AdminServer(int port, PrometheusMeterRegistry registry, Supplier<KafkaStreams.State> state) throws IOException {
        server = HttpServer.create(new InetSocketAddress(port), 0);
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "admin-http");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext("/metrics", exchange ->
                respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
        server.createContext("/health/live", exchange -> health(exchange, state.get(), isLive(state.get())));
        server.createContext("/health/ready", exchange ->
                health(exchange, state.get(), state.get() == KafkaStreams.State.RUNNING));
        server.start();
    }

    static boolean isLive(KafkaStreams.State state) {
        return state != KafkaStreams.State.ERROR && state != KafkaStreams.State.NOT_RUNNING;
    }

    int port() {
        return server.getAddress().getPort();
    }

    private static void health(HttpExchange exchange, KafkaStreams.State state, boolean up) throws IOException {
        String body = "{\"status\":\"" + (up ? "UP" : "DOWN") + "\",\"streams\":\"" + state + "\"}";
        respond(exchange, up ? 200 : 503, "application/json", body);
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
