package dev.lineagehub.otel.testing;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A ClickHouse server in Docker (the image docker-compose.yml runs), reached over its own HTTP
 * interface. The fixture stays in front of it, so that tests can still take ClickHouse down and
 * count statements the same way with either engine.
 */
final class ClickHouseServerContainer implements ClickHouseEngine {

    private static final String IMAGE = System.getenv().getOrDefault("LINEAGEHUB_TEST_CLICKHOUSE_IMAGE",
            "clickhouse/clickhouse-server:25.8");
    private static final int HTTP_PORT = 8123;
    // The image only lets a user with a password in from outside the container.
    private static final String USER = "lineagehub";
    private static final String PASSWORD = "lineagehub";

    private final GenericContainer<?> container;
    private final HttpClient http = HttpClient.newHttpClient();
    private final String url;

    private ClickHouseServerContainer(GenericContainer<?> container) {
        this.container = container;
        this.url = "http://" + container.getHost() + ":" + container.getMappedPort(HTTP_PORT) + "/";
    }

    static ClickHouseServerContainer start() {
        GenericContainer<?> container = new GenericContainer<>(IMAGE)
                .withExposedPorts(HTTP_PORT)
                .withEnv("CLICKHOUSE_USER", USER)
                .withEnv("CLICKHOUSE_PASSWORD", PASSWORD)
                .waitingFor(Wait.forHttp("/ping").forPort(HTTP_PORT));
        container.start();
        return new ClickHouseServerContainer(container);
    }

    @Override
    public byte[] query(Map<String, String> settings, byte[] statement, String format) {
        String parameters = Stream.concat(Stream.of(Map.entry("default_format", format)), settings.entrySet().stream())
                .map(p -> encode(p.getKey()) + "=" + encode(p.getValue()))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "?" + parameters))
                .header("X-ClickHouse-User", USER)
                .header("X-ClickHouse-Key", PASSWORD)
                .POST(HttpRequest.BodyPublishers.ofByteArray(statement))
                .build();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new ClickHouseEngineException(new String(response.body(), StandardCharsets.UTF_8).strip());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException("ClickHouse container " + IMAGE + " did not answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while ClickHouse ran a statement", e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Override
    public String description() {
        return "ClickHouse container " + IMAGE + " at " + url;
    }

    @Override
    public void close() {
        container.stop();
    }
}
