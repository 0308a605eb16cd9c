package dev.lineagehub.ingest.health;

import dev.lineagehub.ingest.config.IngestSettings;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What {@code GET /api/v1/health} reports: Kafka (required: without it nothing is accepted) and, where
 * configured, Marquez, ClickHouse and DataHub GMS (informational: the hub accepts writes while they are
 * down, the consumers wait for them). Every check is asynchronous and bounded by a timeout.
 */
public final class DependencyHealth implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final Admin admin;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final Map<String, URI> probes = new LinkedHashMap<>();

    /** One dependency's state: up or not, and why not. */
    public record Status(boolean up, String detail) {
    }

    public DependencyHealth(String bootstrapServers, Map<String, String> kafkaOverrides, IngestSettings.Dependencies dependencies) {
        Map<String, Object> config = new HashMap<>(kafkaOverrides);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        this.admin = Admin.create(config);
        dependencies.marquez().ifPresent(url -> probes.put("marquez", URI.create(url + "/api/v1/namespaces?limit=1")));
        dependencies.clickhouse().ifPresent(url -> probes.put("clickhouse", URI.create(url + "/ping")));
        dependencies.datahub().ifPresent(url -> probes.put("datahub", URI.create(url + "/health")));
    }

    /** Kafka first, then each configured dependency, by name. */
    public CompletableFuture<Map<String, Status>> check() {
        Map<String, CompletableFuture<Status>> checks = new LinkedHashMap<>();
        checks.put("kafka", kafka());
        probes.forEach((name, uri) -> checks.put(name, http(uri)));
        return CompletableFuture.allOf(checks.values().toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            Map<String, Status> statuses = new LinkedHashMap<>();
            checks.forEach((name, check) -> statuses.put(name, check.join()));
            return statuses;
        });
    }

    private CompletableFuture<Status> kafka() {
        CompletableFuture<Status> status = new CompletableFuture<>();
        admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) TIMEOUT.toMillis())).nodes().whenComplete((nodes, error) ->
                status.complete(error != null ? new Status(false, error.getClass().getSimpleName() + ": " + error.getMessage())
                        : nodes.isEmpty() ? new Status(false, "no broker") : new Status(true, nodes.size() + " broker(s)")));
        return status;
    }

    private CompletableFuture<Status> http(URI uri) {
        return http.sendAsync(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.discarding())
                .handle((response, error) -> error != null
                        ? new Status(false, Optional.ofNullable(error.getCause()).orElse(error).toString())
                        : new Status(response.statusCode() < 500, "HTTP " + response.statusCode()));
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
    }
}
