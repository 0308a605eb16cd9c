package dev.lineagehub.ingest;

import dev.lineagehub.protocol.TransportKey;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lineagehub.testing.Await;
import dev.lineagehub.testing.RealKafka;
import dev.lineagehub.testing.SampleEvents;
import dev.lineagehub.testing.TestKafka;

import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineage.RunEvent.EventType;
import io.openlineage.client.transports.ApiKeyTokenProvider;
import io.openlineage.client.transports.HttpConfig;
import io.openlineage.client.transports.HttpTransport;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** ingest-api on a real broker, written to the way producers write to Marquez. */
@ExtendWith(RealKafka.class)
class IngestApiIntegrationTest {

    private static final String ADMIN = "admin-key-for-tests";
    private final List<AutoCloseable> running = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable resource : running) {
            resource.close();
        }
    }

    private IngestApi start(TestKafka kafka, String topic, Map<String, String> more) throws Exception {
        Map<String, String> env = new HashMap<>(Map.of(
                "LINEAGEHUB_INGEST_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "LINEAGEHUB_INGEST_PORT", "0",
                "LINEAGEHUB_INGEST_LINEAGE_TOPIC", topic,
                "LINEAGEHUB_INGEST_NAMESPACES_TOPIC", topic + "-namespaces",
                "LINEAGEHUB_INGEST_AUDIT_TOPIC", topic + "-audit",
                "LINEAGEHUB_INGEST_ADMIN_KEY", ADMIN));
        env.putAll(more);
        IngestApi api = IngestApi.start(env);
        running.add(api);
        return api;
    }

    @Test
    void theOpenLineageClientsHttpTransportWritesThroughTheApiKeyedAsItsKafkaTransportKeys(TestKafka kafka) throws Exception {
        String topic = kafka.newTopic("openlineage-events", 4);
        IngestApi api = start(kafka, topic, Map.of());
        IngestApiClient client = new IngestApiClient(api.port());
        String key = client.createNamespace(ADMIN, "airflow-prod", "team-orders");
        client.createNamespace(ADMIN, "postgres://orders-db.internal:5432", "team-orders");
        client.createNamespace(ADMIN, "s3://analytics-lake", "team-orders");

        HttpConfig config = new HttpConfig();
        config.setUrl(URI.create(client.url()));
        config.setCompression(HttpConfig.Compression.GZIP);
        ApiKeyTokenProvider token = new ApiKeyTokenProvider();
        token.setApiKey(key);
        config.setAuth(token);
        List<OpenLineage.RunEvent> sent = new ArrayList<>();
        UUID dagRun = UUID.randomUUID();
        try (HttpTransport transport = new HttpTransport(config)) {
            for (EventType type : List.of(EventType.START, EventType.COMPLETE)) {
                for (String task : List.of("extract", "load")) {
                    OpenLineage.RunEvent event = SampleEvents.airflowTask(type, UUID.nameUUIDFromBytes(task.getBytes()), dagRun,
                            "orders_daily", task);
                    transport.emit(event);
                    sent.add(event);
                }
            }
        }

        List<ConsumerRecord<byte[], byte[]>> records = kafka.read(topic, sent.size(), Duration.ofSeconds(30));
        assertThat(records).hasSize(sent.size());
        // One key for the whole DAG run's tasks, as the OpenLineage Kafka transport keys them: one partition, in order.
        assertThat(records).extracting(record -> new String(record.key(), StandardCharsets.UTF_8))
                .containsOnly(new String(TransportKey.bytesOf(sent.get(0)), StandardCharsets.UTF_8));
        assertThat(records).extracting(record -> dev.lineagehub.openlineage.OpenLineageEvent.parse(record.value()).toString())
                .containsExactlyElementsOf(sent.stream().map(event -> dev.lineagehub.openlineage.OpenLineageEvent.parse(
                        SampleEvents.json(event)).toString()).toList());
        // An audit record per namespace created and per accepted event, naming the key by its public id only.
        List<String> audit = kafka.read(topic + "-audit", 3 + sent.size(), Duration.ofSeconds(30)).stream()
                .map(record -> new String(record.value(), StandardCharsets.UTF_8)).toList();
        assertThat(audit).hasSize(3 + sent.size()).noneMatch(record -> record.contains(key));
        assertThat(audit.stream().filter(record -> record.contains("\"endpoint\":\"lineage\""))).hasSize(sent.size())
                .allSatisfy(record -> assertThat(record).contains("\"outcome\":\"accepted\"", "\"status\":201"));
        assertThat(audit.stream().filter(record -> record.contains("\"endpoint\":\"namespaces\""))).hasSize(3)
                .allSatisfy(record -> assertThat(record).contains("\"CREATE\"", "\"keyId\":\"admin\""));
    }

    @Test
    void refusesWhatMarquezRefusesAndWhatTheKeyMayNotWrite(TestKafka kafka) throws Exception {
        String topic = kafka.newTopic("openlineage-events", 1);
        IngestApi api = start(kafka, topic, Map.of("LINEAGEHUB_INGEST_MAX_BODY_BYTES", "65536"));
        IngestApiClient client = new IngestApiClient(api.port());
        String teamA = client.createNamespace(ADMIN, "team-a", "a");
        client.createNamespace(ADMIN, "team-b", "b");
        String event = new String(SampleEvents.json(SampleEvents.run(EventType.START, UUID.randomUUID(), "team-a", "job", List.of(), List.of())),
                StandardCharsets.UTF_8);

        assertThat(client.postJson("/api/v1/lineage", null, event).statusCode()).isEqualTo(401);
        assertThat(client.postJson("/api/v1/lineage", "lhk_0011223344556677_forged", event).statusCode()).isEqualTo(401);
        assertThat(client.postJson("/api/v1/lineage", teamA, "{\"eventTime\": ").statusCode()).isEqualTo(400);
        HttpResponse<String> missing = client.postJson("/api/v1/lineage", teamA, event.replaceFirst("\"runId\":\"[^\"]+\",?", ""));
        assertThat(missing.statusCode()).isEqualTo(422);
        assertThat(missing.body()).contains("runId");
        String other = new String(SampleEvents.json(SampleEvents.run(EventType.START, UUID.randomUUID(), "team-b", "job", List.of(), List.of())),
                StandardCharsets.UTF_8);
        HttpResponse<String> forbidden = client.postJson("/api/v1/lineage", teamA, other);
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(forbidden.body()).contains("team-b");
        byte[] huge = ("{\"eventTime\":\"2026-12-01T00:00:00Z\",\"padding\":\"" + "x".repeat(70_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        assertThat(client.post("/api/v1/lineage", teamA, "application/json", huge, false).statusCode()).isEqualTo(413);
        // gzip does not get around the limit: it applies to the decompressed body.
        assertThat(client.post("/api/v1/lineage", teamA, "application/json", huge, true).statusCode()).isEqualTo(413);

        HttpResponse<String> zipped = client.post("/api/v1/lineage", teamA, "application/json", event.getBytes(StandardCharsets.UTF_8), true);
        assertThat(zipped.statusCode()).as(zipped.body()).isEqualTo(201);
        assertThat(client.postJson("/api/v1/lineage/ingest", teamA, "[" + event + "," + event + "]").statusCode()).isEqualTo(201);
        assertThat(kafka.read(topic, 3, Duration.ofSeconds(20))).hasSize(3);
    }

    @Test
    void aKeyOverItsQuotaIsToldWhenToComeBack(TestKafka kafka) throws Exception {
        String topic = kafka.newTopic("openlineage-events", 1);
        IngestApi api = start(kafka, topic, Map.of("LINEAGEHUB_INGEST_QUOTA_EVENTS_PER_SECOND", "0.5", "LINEAGEHUB_INGEST_QUOTA_BURST", "2"));
        IngestApiClient client = new IngestApiClient(api.port());
        String key = client.createNamespace(ADMIN, "team-a", "a");
        String event = new String(SampleEvents.json(SampleEvents.run(EventType.START, UUID.randomUUID(), "team-a", "job", List.of(), List.of())),
                StandardCharsets.UTF_8);
        assertThat(client.postJson("/api/v1/lineage", key, event).statusCode()).isEqualTo(201);
        assertThat(client.postJson("/api/v1/lineage", key, event).statusCode()).isEqualTo(201);
        HttpResponse<String> over = client.postJson("/api/v1/lineage", key, event);
        assertThat(over.statusCode()).isEqualTo(429);
        assertThat(Integer.parseInt(over.headers().firstValue("Retry-After").orElseThrow())).isBetween(1, 2);
        // The admin is not counted; another namespace's key has its own bucket.
        assertThat(client.postJson("/api/v1/lineage", ADMIN, event).statusCode()).isEqualTo(201);
    }

    @Test
    void aBatchAboveTheBurstIsRefusedAsTooLargeAndNeverPassesFree(TestKafka kafka) throws Exception {
        // The report: eventsPerSecond 1, burst 3, twenty batches of 10 were 20 x 201, 200 events in 0.75 s.
        String topic = kafka.newTopic("openlineage-events", 1);
        IngestApi api = start(kafka, topic, Map.of("LINEAGEHUB_INGEST_QUOTA_EVENTS_PER_SECOND", "1", "LINEAGEHUB_INGEST_QUOTA_BURST", "3"));
        IngestApiClient client = new IngestApiClient(api.port());
        String key = client.createNamespace(ADMIN, "team-a", "a");
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> refused = client.postJson("/api/v1/lineage", key, batch("team-a", 10));
            assertThat(refused.statusCode()).isEqualTo(413);
            assertThat(refused.body()).contains("a request of 10 OpenLineage events is above this key's burst of 3");
        }
        assertThat(kafka.written(topic)).as("nothing of the refused batches").isZero();
        HttpResponse<String> past = client.postJson("/api/v1/lineage", key, batch("team-a", 4));
        assertThat(past.statusCode()).as("just past the burst").isEqualTo(413);
        assertThat(client.postJson("/api/v1/lineage", key, batch("team-a", 3)).statusCode()).as("at the burst").isEqualTo(201);
        assertThat(client.postJson("/api/v1/lineage", key, batch("team-a", 1)).statusCode()).as("the bucket is empty").isEqualTo(429);
        assertThat(kafka.written(topic)).isEqualTo(3);
        assertThat(client.get("/metrics", null).body()).contains("endpoint=\"lineage\",status=\"413\"");
    }

    @Test
    void unreadableBodiesAreAnsweredInJsonCountedAndAudited(TestKafka kafka) throws Exception {
        String topic = kafka.newTopic("openlineage-events", 1);
        IngestApi api = start(kafka, topic, Map.of("LINEAGEHUB_INGEST_MAX_BODY_BYTES", "2048"));
        IngestApiClient client = new IngestApiClient(api.port());
        byte[] notGzip = "this is not gzip at all".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> badGzip = client.http().send(java.net.http.HttpRequest.newBuilder(URI.create(client.url() + "/api/v1/lineage"))
                .header("Content-Type", "application/json").header("Content-Encoding", "gzip").header("Authorization", "Bearer " + ADMIN)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(notGzip)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(badGzip.statusCode()).isEqualTo(400);
        assertThat(IngestApiClient.JSON.readTree(badGzip.body()).path("message").asText()).contains("does not decompress as its Content-Encoding says");
        // Routes that take no body read it all the same: the fuzz test found a GET whose bad gzip closed the connection unanswered.
        for (String method : List.of("GET /api/v1/health", "GET /metrics", "PUT /no/such/path")) {
            String[] parts = method.split(" ");
            HttpResponse<String> noBodyRoute = client.http().send(java.net.http.HttpRequest.newBuilder(URI.create(client.url() + parts[1]))
                    .header("Content-Encoding", "gzip").method(parts[0], java.net.http.HttpRequest.BodyPublishers.ofByteArray(notGzip)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(noBodyRoute.statusCode()).as(method).isEqualTo(400);
            assertThat(noBodyRoute.body()).as(method).contains("does not decompress");
        }
        HttpResponse<String> tooLarge = client.post("/api/v1/lineage", ADMIN, "application/json", new byte[2049], true);
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(IngestApiClient.JSON.readTree(tooLarge.body()).path("message").asText())
                .contains("above the limit of 2048 bytes (LINEAGEHUB_INGEST_MAX_BODY_BYTES");
        assertThat(client.post("/api/v1/lineage", ADMIN, "application/json", new byte[2048], false).statusCode())
                .as("at the limit the body is read (and is not JSON)").isEqualTo(400);
        String metrics = client.get("/metrics", null).body();
        assertThat(metrics).contains("lineagehub_ingest_requests_total{endpoint=\"lineage\",status=\"413\"} 1.0")
                .contains("lineagehub_ingest_requests_total{endpoint=\"lineage\",status=\"400\"} 2.0");
        List<String> audited = kafka.read(topic + "-audit", 6, Duration.ofSeconds(20)).stream()
                .map(record -> new String(record.value(), StandardCharsets.UTF_8)).toList();
        assertThat(audited).anySatisfy(record -> assertThat(record).contains("\"status\":413"))
                .filteredOn(record -> record.contains("\"endpoint\":\"lineage\"")).hasSize(3)
                .allSatisfy(record -> assertThat(record).contains("\"keyId\":\"admin\""));
        assertThat(audited).filteredOn(record -> record.contains("\"endpoint\":\"other\"")).hasSize(3)
                .allSatisfy(record -> assertThat(record).contains("\"keyId\":\"anonymous\"", "\"status\":400"));
    }

    @Test
    void aNamespaceIsDisabledEnabledAndDeletedAndEveryAdminActionIsAudited(TestKafka kafka) throws Exception {
        String topic = kafka.newTopic("openlineage-events", 1);
        IngestApi api = start(kafka, topic, Map.of());
        IngestApiClient client = new IngestApiClient(api.port());
        String key = client.createNamespace(ADMIN, "team-b", "b");
        String event = batch("team-b", 1);

        HttpResponse<String> disabled = client.put("/api/v1/namespaces/team-b", ADMIN, "{\"disabled\":true}");
        assertThat(disabled.statusCode()).as(disabled.body()).isEqualTo(200);
        assertThat(IngestApiClient.JSON.readTree(disabled.body()).path("namespace").path("disabled").asBoolean()).isTrue();
        HttpResponse<String> refused = client.postJson("/api/v1/lineage", key, event);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("namespace team-b is disabled");
        assertThat(client.postJson("/api/v1/lineage", ADMIN, event).statusCode()).as("nothing is written to it, by anyone").isEqualTo(403);
        assertThat(client.post("/v1/traces", key, "application/json", "{}".getBytes(StandardCharsets.UTF_8), false).statusCode())
                .isEqualTo(403);
        assertThat(client.put("/api/v1/namespaces/team-b", ADMIN, "{\"disabled\":false}").statusCode()).isEqualTo(200);
        assertThat(client.postJson("/api/v1/lineage", key, event).statusCode()).as("enabled again").isEqualTo(201);

        HttpResponse<String> typo = client.put("/api/v1/namespaces/team-b", ADMIN, "{\"disabld\":true}");
        assertThat(typo.statusCode()).isEqualTo(400);
        assertThat(typo.body()).contains("unknown field(s) [disabld]");
        HttpResponse<String> quotaTypo = client.postJson("/api/v1/namespaces", ADMIN,
                "{\"name\":\"team-c\",\"owner\":\"c\",\"quota\":{\"burts\":3}}");
        assertThat(quotaTypo.statusCode()).isEqualTo(400);
        assertThat(quotaTypo.body()).contains("quota.burts");
        assertThat(client.get("/api/v1/namespaces/team-c", ADMIN).statusCode()).as("nothing created").isEqualTo(404);

        assertThat(client.delete("/api/v1/namespaces/team-b", key).statusCode()).as("only the admin deletes").isEqualTo(401);
        assertThat(client.delete("/api/v1/namespaces/team-b", ADMIN).statusCode()).isEqualTo(204);
        assertThat(client.postJson("/api/v1/lineage", key, event).statusCode()).as("its key is revoked").isEqualTo(401);
        assertThat(client.get("/api/v1/namespaces/team-b", ADMIN).statusCode()).isEqualTo(404);
        assertThat(client.delete("/api/v1/namespaces/team-b", ADMIN).statusCode()).isEqualTo(404);

        List<String> audited = kafka.read(topic + "-audit", 12, Duration.ofSeconds(20)).stream()
                .map(record -> new String(record.value(), StandardCharsets.UTF_8)).toList();
        assertThat(audited).noneMatch(record -> record.contains(key)).as("never a key, only its id")
                .anyMatch(record -> record.contains("\"CREATE\"") && record.contains("\"status\":201"))
                .anyMatch(record -> record.contains("\"UPDATE\"") && record.contains("disabled"))
                .anyMatch(record -> record.contains("\"UPDATE\"") && record.contains("\"status\":400"))
                .anyMatch(record -> record.contains("\"DELETE\"") && record.contains("\"status\":204") && record.contains("revoked"))
                .anyMatch(record -> record.contains("\"DELETE\"") && record.contains("\"status\":401"));
    }

    private static String batch(String namespace, int events) throws Exception {
        List<Object> batch = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            batch.add(IngestApiClient.JSON.readTree(SampleEvents.json(SampleEvents.run(EventType.START, UUID.randomUUID(), namespace,
                    "job", List.of(), List.of()))));
        }
        return IngestApiClient.JSON.writeValueAsString(batch);
    }

    @Test
    void twoReplicasAgreeOnNamespacesThroughTheCompactedTopic(TestKafka kafka) throws Exception {
        String topic = kafka.newTopic("openlineage-events", 1);
        IngestApiClient first = new IngestApiClient(start(kafka, topic, Map.of()).port());
        IngestApiClient second = new IngestApiClient(start(kafka, topic, Map.of()).port());
        String key = first.createNamespace(ADMIN, "team-a", "a");
        String event = new String(SampleEvents.json(SampleEvents.run(EventType.START, UUID.randomUUID(), "team-a", "job", List.of(), List.of())),
                StandardCharsets.UTF_8);
        Await.until(() -> {
            try {
                return second.postJson("/api/v1/lineage", key, event).statusCode() == 201;
            } catch (Exception e) {
                return false;
            }
        }, "the second replica to know the key created through the first");
        // A key revoked on the second is refused by the first.
        String id = IngestApiClient.JSON.readTree(second.get("/api/v1/namespaces/team-a", ADMIN).body()).path("keyIds").get(0).asText();
        assertThat(second.put("/api/v1/namespaces/team-a", ADMIN, "{\"revokeKeyIds\":[\"" + id + "\"]}").statusCode()).isEqualTo(200);
        Await.until(() -> {
            try {
                return first.postJson("/api/v1/lineage", key, event).statusCode() == 401;
            } catch (Exception e) {
                return false;
            }
        }, "the first replica to refuse the key revoked through the second");
        assertThat(first.get("/api/v1/namespaces", key).statusCode()).isEqualTo(401);
        assertThat(IngestApiClient.JSON.readTree(first.get("/api/v1/namespaces", ADMIN).body()).path("namespaces").size()).isEqualTo(1);
    }

    @Test
    void healthDocsAndMetricsAreServed(TestKafka kafka) throws Exception {
        String topic = kafka.newTopic("openlineage-events", 1);
        IngestApiClient client = new IngestApiClient(start(kafka, topic, Map.of()).port());
        Await.until(() -> {
            try {
                return client.get("/api/v1/health", null).statusCode() == 200;
            } catch (Exception e) {
                return false;
            }
        }, "health to report Kafka up");
        assertThat(IngestApiClient.JSON.readTree(client.get("/api/v1/health", null).body()).path("dependencies").path("kafka")
                .path("status").asText()).isEqualTo("UP");
        assertThat(client.get("/openapi.yaml", null).body()).contains("/api/v1/lineage");
        assertThat(client.get("/docs/", null).body()).contains("swagger-ui-bundle.js");
        assertThat(client.get("/docs/assets/swagger-ui-bundle.js", null).statusCode()).isEqualTo(200);
        client.postJson("/api/v1/lineage", null, "{}");
        assertThat(client.postJson("/api/v1/lineage", ADMIN, batch("team-a", 1)).statusCode()).isEqualTo(201);
        String metrics = client.get("/metrics", null).body();
        assertThat(metrics).contains("lineagehub_ingest_requests_total{endpoint=\"lineage\",status=\"401\"}")
                .contains("kafka_producer_record_send_total", "jvm_gc_", "jvm_memory_used_bytes", "lineagehub_ingest_connections");
        // Every ingest-api series the alerts and the dashboard query is one it exposes.
        for (String file : List.of("../deploy/prometheus/alerts.yml", "../deploy/base/grafana/lineage-hub.json")) {
            java.util.regex.Matcher queried = java.util.regex.Pattern.compile("lineagehub_ingest_[a-z_]+")
                    .matcher(java.nio.file.Files.readString(java.nio.file.Path.of(file)));
            int found = 0;
            while (queried.find()) {
                found++;
                assertThat(metrics).as("%s queries %s", file, queried.group()).containsPattern(
                        "(?m)^" + java.util.regex.Pattern.quote(queried.group()) + "(_bucket|_count|_sum)?[{ ]");
            }
            assertThat(found).as("%s watches ingest-api", file).isPositive();
        }
    }
}
