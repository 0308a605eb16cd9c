package dev.lineagehub.testing.clickhouse;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A ClickHouse server's own HTTP interface as the fixture's engine: each statement is forwarded with
 * its settings as URL parameters, and a refusal comes back as ClickHouse's message.
 */
final class ClickHouseHttpEngine implements ClickHouseEngine {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String url;
    private final String user;
    private final String password;
    private final String description;
    private final Runnable onClose;

    /** @param url the server's HTTP interface, e.g. {@code http://host:8123/} */
    ClickHouseHttpEngine(String url, String user, String password, String description, Runnable onClose) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.description = description;
        this.onClose = onClose;
    }

    @Override
    public byte[] query(Map<String, String> settings, byte[] statement, String format) {
        return send(settings, Map.of(), HttpRequest.BodyPublishers.ofByteArray(statement), format);
    }

    /** The statement in {@code query}, the rows as the body: what a client sends a server. */
    @Override
    public byte[] insert(Map<String, String> settings, String statement, Path rows, String format) {
        try {
            return send(settings, Map.of("query", statement), HttpRequest.BodyPublishers.ofFile(rows), format);
        } catch (java.io.FileNotFoundException e) {
            throw new IllegalStateException("the insert's rows are gone: " + rows, e);
        }
    }

    private byte[] send(Map<String, String> settings, Map<String, String> protocol, HttpRequest.BodyPublisher body, String format) {
        String parameters = Stream.of(Map.of("default_format", format), protocol, settings).flatMap(m -> m.entrySet().stream())
                .map(p -> encode(p.getKey()) + "=" + encode(p.getValue()))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "?" + parameters))
                .header("X-ClickHouse-User", user)
                .header("X-ClickHouse-Key", password)
                .POST(body)
                .build();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new ClickHouseEngineException(new String(response.body(), StandardCharsets.UTF_8).strip());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException(description + " did not answer", e);
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
        return description;
    }

    @Override
    public void close() {
        onClose.run();
    }
}
