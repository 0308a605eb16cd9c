package dev.lineagehub.sdk.client;

import dev.lineagehub.protocol.RetryAfter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineageClientUtils;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The synchronous client of the hub's HTTP API (ingest-api; {@link #sendLineage(OpenLineage.RunEvent)}
 * also works against Marquez directly). Every call carries an {@code X-Request-Id} — the caller's, or a
 * new one — on each of its attempts, and fails with a typed {@link HubException}.
 *
 * <p>Retries follow the {@link RetryPolicy} for idempotent calls (GETs). A POST of lineage is
 * retried only when the server provably did not take it — a refused connection, 429 or 503 — because
 * a re-POSTed event the server did store becomes a duplicate run event downstream.
 */
public final class HubClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LINEAGE_PATH = "/api/v1/lineage";

    private final URI baseUrl;
    private final String apiKey;
    private final Duration timeout;
    private final RetryPolicy retry;
    private final HttpClient http;

    /**
     * @param baseUrl the hub's (or Marquez's) base URL, e.g. {@code http://ingest-api:8080}
     * @param apiKey  sent as {@code Authorization: Bearer}; null sends none
     */
    public HubClient(URI baseUrl, String apiKey, Duration timeout, RetryPolicy retry) {
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
        if (baseUrl.getScheme() == null || !baseUrl.getScheme().startsWith("http")) {
            throw new IllegalArgumentException("the hub's URL must be http(s)://host:port, got " + baseUrl);
        }
        this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.retry = Objects.requireNonNull(retry, "retry");
        this.http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    public void sendLineage(OpenLineage.RunEvent event) {
        sendLineage(event, null);
    }

    /** POSTs one run event; {@code requestId} null makes a new one. */
    public void sendLineage(OpenLineage.RunEvent event, String requestId) {
        post(LINEAGE_PATH, OpenLineageClientUtils.toJson(event), requestId, event.getRun().getRunId());
    }

    /** POSTs several events as one JSON array, which ingest-api takes (Marquez takes one event per request). */
    public void sendLineage(List<OpenLineage.RunEvent> events, String requestId) {
        String body = events.stream().map(OpenLineageClientUtils::toJson).collect(java.util.stream.Collectors.joining(",", "[", "]"));
        post(LINEAGE_PATH, body, requestId, null);
    }

    /** {@code GET /api/v1/health}: the hub's status and its dependencies'. */
    public HubHealth health() {
        String body = get("/api/v1/health", null);
        try {
            JsonNode tree = JSON.readTree(body);
            Map<String, String> dependencies = new LinkedHashMap<>();
            tree.path("dependencies").fields().forEachRemaining(dependency ->
                    dependencies.put(dependency.getKey(), dependency.getValue().path("status").asText("")));
            return new HubHealth(tree.path("status").asText(""), dependencies);
        } catch (IOException e) {
            throw new RejectedError("the hub answered /api/v1/health with something that is not JSON: " + e.getMessage(), e);
        }
    }

    /** A GET on the hub's API (e.g. {@code /api/v1/namespaces}), retried as the policy allows: the answer's JSON text. */
    public String get(String path, String requestId) {
        return call(HttpRequest.newBuilder(baseUrl.resolve(path)).GET(), requestId, null, true);
    }

    private void post(String path, String json, String requestId, UUID runId) {
        call(HttpRequest.newBuilder(baseUrl.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)), requestId, runId, false);
    }

    private String call(HttpRequest.Builder request, String requestId, UUID runId, boolean idempotent) {
        String id = requestId == null ? UUID.randomUUID().toString() : requestId;
        request.timeout(timeout).header("X-Request-Id", id);
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        HttpRequest built = request.build();
        return retry.call(() -> attempt(built, id, runId), failure -> mayResend(idempotent, failure));
    }

    private String attempt(HttpRequest request, String id, UUID runId) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 == 2) {
                return response.body();
            }
            throw HubException.forStatus(response.statusCode(), response.body(), id, runId, retryAfter(response));
        } catch (ConnectException e) {
            throw new TransientNetworkError("cannot connect to " + baseUrl + ": " + e, false, id, runId, e);
        } catch (IOException e) {
            throw new TransientNetworkError(request.method() + " " + request.uri() + " got no answer: " + e, true, id, runId, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientNetworkError("interrupted", true, id, runId, e);
        }
    }

    /** Whether sending again cannot store something twice. */
    private static boolean mayResend(boolean idempotent, HubException failure) {
        return idempotent
                || failure instanceof TransientNetworkError network && !network.maybeDelivered()
                || failure.status() == 429 || failure.status() == 503;
    }

    /** Seconds or an HTTP date, as the consumers read it ({@link RetryAfter}). */
    private static Duration retryAfter(HttpResponse<?> response) {
        return RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null), java.time.Instant.now()).orElse(null);
    }
}
