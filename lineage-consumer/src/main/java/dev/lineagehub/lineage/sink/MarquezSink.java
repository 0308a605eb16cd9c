package dev.lineagehub.lineage.sink;

import dev.lineagehub.delivery.DeliveryException;
import dev.lineagehub.delivery.HttpFailures;
import dev.lineagehub.delivery.PermanentDeliveryException;
import dev.lineagehub.delivery.RetryableDeliveryException;
import dev.lineagehub.delivery.Sink;
import dev.lineagehub.delivery.flow.SinkHealth;
import dev.lineagehub.lineage.config.MarquezSettings;
import dev.lineagehub.openlineage.OpenLineageEvent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.zip.GZIPOutputStream;

/**
 * POSTs each event to Marquez's {@code /api/v1/lineage}, unchanged, with the Vert.x web client.
 *
 * <p>Marquez 0.51 answers 201 on success, 422 when required fields are missing, 415 for a wrong
 * content type — and 500 with a body {@code {"code":400,...}} when it cannot read the JSON at all. That
 * last one is a client error behind a server status, so it is treated as permanent rather than retried
 * forever. Everything else follows {@link HttpFailures}.
 */
public final class MarquezSink implements Sink<OpenLineageEvent>, AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Vertx vertx;
    private final WebClient client;
    private final String endpoint;
    private final String probeEndpoint;
    private final MultiMap headers;
    private final long timeoutMillis;
    private final boolean gzip;

    public MarquezSink(Vertx vertx, MarquezSettings settings) {
        this.vertx = vertx;
        this.client = WebClient.create(vertx, new WebClientOptions()
                        .setKeepAlive(true)
                        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, settings.requestTimeout().toMillis()))
                        .setUserAgent("lineage-hub/lineage-consumer"),
                new PoolOptions().setHttp1MaxSize(settings.maxConnections()));
        this.endpoint = settings.lineageEndpoint().toString();
        this.probeEndpoint = settings.probeEndpoint().toString();
        this.timeoutMillis = settings.requestTimeout().toMillis();
        this.gzip = settings.gzip();
        this.headers = MultiMap.caseInsensitiveMultiMap()
                .add("Content-Type", "application/json")
                .add("Accept", "application/json");
        settings.headers().forEach(headers::add);
        if (settings.apiKey() != null) {
            headers.set("Authorization", "Bearer " + settings.apiKey());
        }
        if (gzip) {
            headers.add("Content-Encoding", "gzip");
        }
    }

    @Override
    public CompletionStage<Void> deliver(OpenLineageEvent event) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        // Compressing is CPU work that grows with the event: a worker thread does it, never the
        // event loop this may be called on (Sink's contract).
        Future<Buffer> body = gzip ? vertx.executeBlocking(() -> Buffer.buffer(gzip(event.bytes())), false)
                : Future.succeededFuture(Buffer.buffer(event.bytes()));
        body.compose(buffer -> client.postAbs(endpoint)
                        .putHeaders(headers)
                        .timeout(timeoutMillis)
                        .sendBuffer(buffer))
                .onComplete(response -> {
                    if (response.failed()) {
                        Throwable cause = response.cause();
                        result.completeExceptionally(cause instanceof TimeoutException
                                ? RetryableDeliveryException.overload("Marquez did not answer within " + timeoutMillis + " ms",
                                        "timeout", null, cause)
                                : new RetryableDeliveryException("cannot reach Marquez at " + endpoint + ": " + cause,
                                        String.valueOf(cause.getMessage()), null, cause));
                    } else if (response.result().statusCode() / 100 == 2) {
                        result.complete(null);
                    } else {
                        result.completeExceptionally(failure(response.result()));
                    }
                });
        return result;
    }

    /**
     * Marquez is up when it lists namespaces: a cheap read through the same API, proxy and credentials
     * as the events, answered by Marquez itself and its database.
     */
    @Override
    public CompletionStage<Void> probe() {
        CompletableFuture<Void> result = new CompletableFuture<>();
        MultiMap probeHeaders = MultiMap.caseInsensitiveMultiMap().addAll(headers)
                .remove("Content-Type").remove("Content-Encoding");
        client.getAbs(probeEndpoint)
                .putHeaders(probeHeaders)
                // Ended by the client too, not only abandoned by SinkHealth: a hung Marquez must not hold a
                // connection per probe for the whole request timeout.
                .timeout(Math.min(timeoutMillis, SinkHealth.PROBE_TIMEOUT.toMillis()))
                .send()
                .onComplete(response -> {
                    if (response.succeeded() && response.result().statusCode() / 100 == 2) {
                        result.complete(null);
                    } else {
                        result.completeExceptionally(new RetryableDeliveryException("Marquez probe failed: "
                                + (response.failed() ? response.cause() : "HTTP " + response.result().statusCode()), "probe"));
                    }
                });
        return result;
    }

    static DeliveryException failure(HttpResponse<Buffer> response) {
        int status = response.statusCode();
        String body = response.body() == null ? "" : response.bodyAsString();
        if (status == 500 && isUnreadableJsonAnswer(body)) {
            return new PermanentDeliveryException("Marquez could not read the event", HttpFailures.describe(status, body));
        }
        return HttpFailures.forStatus("Marquez", status, response.getHeader("Retry-After"), body);
    }

    /** Marquez's Jackson error mapper answers {@code {"code":400,"message":...}} with status 500. */
    static boolean isUnreadableJsonAnswer(String body) {
        try {
            JsonNode code = JSON.readTree(body).path("code");
            return code.isInt() && code.intValue() >= 400 && code.intValue() < 500;
        } catch (IOException notJson) {
            return false;
        }
    }

    private static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 4 + 64);
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        client.close();
    }
}
