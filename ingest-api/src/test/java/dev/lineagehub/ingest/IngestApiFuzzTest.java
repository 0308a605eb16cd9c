package dev.lineagehub.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lineagehub.otlp.Encoding;
import dev.lineagehub.otlp.OtlpDecoder;
import dev.lineagehub.testing.RealKafka;
import dev.lineagehub.testing.SampleEvents;
import dev.lineagehub.testing.TestKafka;

import com.google.protobuf.ByteString;

import io.openlineage.client.OpenLineage.RunEvent.EventType;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * A bounded fuzz of the HTTP surface (loopback, at most {@link #REQUESTS} requests or {@link #BOUND}):
 * random methods, paths, keys, media types, encodings and bodies, valid ones mutated. With Kafka up,
 * nothing is answered 5xx, and the records in Kafka are exactly those the 2xx answers account for:
 * no write acknowledged without its records, no record without an acknowledgement.
 */
@ExtendWith(RealKafka.class)
class IngestApiFuzzTest {

    private static final String ADMIN = "admin-key-for-tests";
    private static final int REQUESTS = 600;
    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final List<String> METHODS = List.of("GET", "POST", "POST", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");
    private static final List<String> PATHS = List.of("/api/v1/lineage", "/api/v1/lineage/ingest", "/v1/traces", "/v1/metrics",
            "/v1/logs", "/api/v1/telemetry/ingest", "/api/v1/telemetry/ingest?signal=logs", "/api/v1/telemetry/ingest?signal=%00",
            "/api/v1/namespaces", "/api/v1/namespaces/fuzz", "/api/v1/namespaces/%2e%2e", "/metrics", "/api/v1/health", "/docs",
            "/openapi.yaml", "/v1/traces/", "/api/v1/lineage?x=" + "y".repeat(3000), "/%ff%fe");
    private static final List<String> TYPES = List.of("application/json", "application/x-protobuf", "text/plain",
            "application/json; charset=utf-8", "application/x-protobuf; a=b", "", "*/*");
    private IngestApi api;

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    /**
     * Three fixed seeds, so a failure repeats, and one new seed per run, so each run tries requests no run tried
     * before; a failure names its seed. {@code -Dfuzz.seeds=5} or {@code -Dfuzz.seeds=20..40} runs those instead.
     */
    @Test
    void randomRequestsGetNo5xxAndKafkaHoldsExactlyWhatWasAcknowledged(TestKafka kafka) throws Exception {
        for (long seed : seeds(System.getProperty("fuzz.seeds"))) {
            fuzz(kafka, seed);
            api.close();
            api = null;
        }
    }

    private static long[] seeds(String chosen) {
        if (chosen == null) {
            return new long[] {1, 2, 3, System.nanoTime()};
        }
        String[] range = chosen.split("\\.\\.");
        long first = Long.parseLong(range[0].trim());
        return java.util.stream.LongStream.rangeClosed(first, range.length == 1 ? first : Long.parseLong(range[1].trim())).toArray();
    }

    private void fuzz(TestKafka kafka, long seed) throws Exception {
        Random random = new Random(seed);
        String topic = kafka.newTopic("openlineage-events", 2);
        Map<String, String> topics = Map.of("LINEAGEHUB_INGEST_SPANS_TOPIC", kafka.newTopic("otlp_spans", 1),
                "LINEAGEHUB_INGEST_METRICS_TOPIC", kafka.newTopic("otlp_metrics", 1), "LINEAGEHUB_INGEST_LOGS_TOPIC", kafka.newTopic("otlp_logs", 1));
        Map<String, String> env = new HashMap<>(topics);
        env.putAll(Map.of("LINEAGEHUB_INGEST_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(), "LINEAGEHUB_INGEST_PORT", "0",
                "LINEAGEHUB_INGEST_LINEAGE_TOPIC", topic, "LINEAGEHUB_INGEST_NAMESPACES_TOPIC", topic + "-namespaces", "LINEAGEHUB_INGEST_AUDIT_TOPIC", "",
                "LINEAGEHUB_INGEST_ADMIN_KEY", ADMIN, "LINEAGEHUB_INGEST_MAX_BODY_BYTES", "65536"));
        api = IngestApi.start(env);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        IngestApiClient client = new IngestApiClient(api.port());
        dev.lineagehub.testing.Await.until(Duration.ofSeconds(30), () -> {
            try {
                return client.get("/api/v1/health", null).statusCode() == 200;
            } catch (Exception e) {
                return false;
            }
        }, () -> "ingest-api ready (namespaces read)");
        long lineageAcknowledged = 0;
        Map<String, Long> otlpAcknowledged = new HashMap<>();
        List<String> failures = new ArrayList<>();
        long deadline = System.nanoTime() + BOUND.toNanos();
        int sent = 0;
        java.util.Deque<String> previous = new java.util.ArrayDeque<>();
        for (; sent < REQUESTS && System.nanoTime() < deadline; sent++) {
            String method = pick(random, METHODS);
            String path = pick(random, PATHS);
            byte[] plain = body(random);
            boolean gzip = random.nextInt(4) == 0;
            byte[] wire = gzip && random.nextBoolean() ? IngestApiClient.gzip(plain) : gzip ? mutate(random, IngestApiClient.gzip(plain)) : plain;
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + api.port() + path))
                    .timeout(Duration.ofSeconds(30)).method(method, HttpRequest.BodyPublishers.ofByteArray(wire));
            String type = pick(random, TYPES);
            if (!type.isEmpty()) {
                request.header("Content-Type", type);
            }
            if (gzip) {
                request.header("Content-Encoding", random.nextInt(5) == 0 ? "br" : "gzip");
            }
            switch (random.nextInt(4)) {
                case 0 -> request.header("Authorization", "Bearer " + ADMIN);
                case 1 -> request.header("Authorization", "Bearer lhk_" + UUID.randomUUID() + "_x");
                case 2 -> request.header("Authorization", "Basic " + ADMIN);
                default -> { }
            }
            HttpResponse<String> answer;
            try {
                answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (Exception e) {
                failures.add(method + " " + path + ": " + e + " (after " + previous + ")");
                previous.clear();
                continue;
            }
            int status = answer.statusCode();
            previous.addFirst(method + " " + path.substring(0, Math.min(path.length(), 40)) + " " + type + (gzip ? " gzip" : "")
                    + " " + plain.length + "B -> " + status + " " + answer.headers().firstValue("connection").orElse(""));
            if (previous.size() > 3) {
                previous.removeLast();
            }
            if (status >= 500) {
                failures.add(method + " " + path + " " + type + (gzip ? " gzip" : "") + " -> " + status + " " + answer.body());
            }
            String route = path.split("\\?")[0].replaceAll("(.)/$", "$1"); // Vert.x routes /v1/traces/ as /v1/traces
            if (method.equals("POST") && status == 201 && route.startsWith("/api/v1/lineage")) {
                lineageAcknowledged += events(plain);
            } else if (method.equals("POST") && status == 200 && isOtlp(route)) {
                String signal = route.startsWith("/api") ? (path.contains("signal=logs") ? "LINEAGEHUB_INGEST_LOGS_TOPIC" : "LINEAGEHUB_INGEST_SPANS_TOPIC")
                        : "LINEAGEHUB_INGEST_" + (route.endsWith("traces") ? "SPANS" : route.endsWith("metrics") ? "METRICS" : "LOGS") + "_TOPIC";
                otlpAcknowledged.merge(signal, publishedRecords(plain, type, signal), Long::sum);
            }
        }
        assertThat(failures).as("seed %d: 5xx or no answer", seed).isEmpty();
        assertThat(sent).isGreaterThan(100);
        assertThat(kafka.written(topic)).as("seed %d: lineage records", seed).isEqualTo(lineageAcknowledged);
        for (String signal : topics.keySet()) {
            assertThat(kafka.written(topics.get(signal))).as("seed %d: %s records", seed, signal)
                    .isEqualTo(otlpAcknowledged.getOrDefault(signal, 0L));
        }
    }

    private static boolean isOtlp(String route) {
        return route.equals("/v1/traces") || route.equals("/v1/metrics") || route.equals("/v1/logs") || route.equals("/api/v1/telemetry/ingest");
    }

    /** Events a lineage body acknowledged with 201 carried: an array's elements, or one. */
    private static long events(byte[] body) throws Exception {
        var tree = IngestApiClient.JSON.readTree(body);
        return tree.isArray() ? tree.size() : 1;
    }

    /** An acknowledged OTLP export is one record, unless it held nothing. */
    private static long publishedRecords(byte[] body, String type, String signal) {
        Encoding encoding = type.startsWith("application/json") ? Encoding.OTLP_JSON : Encoding.OTLP_PROTO;
        var request = switch (signal) {
            case "LINEAGEHUB_INGEST_SPANS_TOPIC" -> OtlpDecoder.traces(body, encoding);
            case "LINEAGEHUB_INGEST_METRICS_TOPIC" -> OtlpDecoder.metrics(body, encoding);
            default -> OtlpDecoder.logs(body, encoding);
        };
        return request.getSerializedSize() == 0 ? 0 : 1;
    }

    private static byte[] body(Random random) throws Exception {
        return switch (random.nextInt(9)) {
            case 0 -> new byte[0];
            case 1 -> SampleEvents.json(SampleEvents.run(EventType.START, UUID.randomUUID(), "fuzz", "job", List.of(), List.of()));
            case 2 -> ("[" + new String(SampleEvents.json(SampleEvents.run(EventType.COMPLETE, UUID.randomUUID(), "fuzz", "job",
                    List.of(), List.of())), StandardCharsets.UTF_8) + "]").getBytes(StandardCharsets.UTF_8);
            case 3 -> mutate(random, SampleEvents.json(SampleEvents.run(EventType.START, UUID.randomUUID(), "fuzz", "job",
                    List.of(), List.of())));
            case 4 -> spans(random).toByteArray();
            case 5 -> mutate(random, spans(random).toByteArray());
            case 6 -> "[".repeat(random.nextInt(5000)).getBytes(StandardCharsets.US_ASCII);
            case 7 -> ("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"" + hex(random, random.nextInt(20))
                    + "\",\"spanId\":\"" + hex(random, 8) + "\",\"name\":\"n\"}]}]}]}").getBytes(StandardCharsets.US_ASCII);
            default -> {
                byte[] bytes = new byte[random.nextInt(2000)];
                random.nextBytes(bytes);
                yield bytes;
            }
        };
    }

    private static ExportTraceServiceRequest spans(Random random) {
        Span.Builder span = Span.newBuilder().setName("fuzz")
                .setTraceId(ByteString.copyFrom(bytes(random, random.nextInt(3) == 0 ? random.nextInt(20) : 16)))
                .setSpanId(ByteString.copyFrom(bytes(random, 8)));
        return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .addScopeSpans(ScopeSpans.newBuilder().addSpans(span))).build();
    }

    private static byte[] mutate(Random random, byte[] bytes) {
        byte[] mutated = bytes.clone();
        for (int i = 0, n = 1 + random.nextInt(4); i < n && mutated.length > 0; i++) {
            mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
        }
        return mutated;
    }

    private static byte[] bytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static String hex(Random random, int bytes) {
        return java.util.HexFormat.of().formatHex(bytes(random, bytes));
    }

    private static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }
}
