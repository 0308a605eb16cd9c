package dev.lineagehub.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lineagehub.openlineage.OpenLineageEvent;
import dev.lineagehub.protocol.TransportKey;
import dev.lineagehub.runtime.RecordSizes;
import dev.lineagehub.testing.RealKafka;
import dev.lineagehub.testing.SampleEvents;
import dev.lineagehub.testing.TestKafka;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.openlineage.client.OpenLineage.RunEvent.EventType;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * The body limit, the producer's max.request.size and the topics' max.message.bytes agree: each is
 * tried just under, at and just past its edge, and a write Kafka refuses for good is never a 503.
 */
@ExtendWith(RealKafka.class)
class IngestApiLimitsTest {

    private static final int TOPIC_LIMIT = 20_000;
    private static final String ADMIN = "admin-key-for-tests";
    private IngestApi api;

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    private Map<String, String> env(TestKafka kafka, String lineageTopic, Map<String, String> more) {
        Map<String, String> env = new HashMap<>(Map.of("LINEAGEHUB_INGEST_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(), "LINEAGEHUB_INGEST_PORT", "0",
                "LINEAGEHUB_INGEST_LINEAGE_TOPIC", lineageTopic, "LINEAGEHUB_INGEST_NAMESPACES_TOPIC", lineageTopic + "-namespaces", "LINEAGEHUB_INGEST_AUDIT_TOPIC", "",
                "LINEAGEHUB_INGEST_SPANS_TOPIC", kafka.newTopic("otlp_spans", 1), "LINEAGEHUB_INGEST_METRICS_TOPIC", kafka.newTopic("otlp_metrics", 1),
                "LINEAGEHUB_INGEST_LOGS_TOPIC", kafka.newTopic("otlp_logs", 1), "LINEAGEHUB_INGEST_ADMIN_KEY", ADMIN));
        env.putAll(more);
        return env;
    }

    @Test
    void anEventJustPastTheLargestRecordIs413NamingTheLimitAndOneAtItIsStored(TestKafka kafka) throws Exception {
        String topic = kafka.newTopic("openlineage-events", 1, Map.of("max.message.bytes", String.valueOf(TOPIC_LIMIT)));
        api = IngestApi.start(env(kafka, topic, Map.of()));
        IngestApiClient client = new IngestApiClient(api.port());

        byte[] at = eventOfRecordSize(TOPIC_LIMIT);
        byte[] past = eventOfRecordSize(TOPIC_LIMIT + 1);
        byte[] under = eventOfRecordSize(TOPIC_LIMIT - 1);
        assertThat(client.post("/api/v1/lineage", ADMIN, "application/json", under, false).statusCode()).isEqualTo(201);
        assertThat(client.post("/api/v1/lineage", ADMIN, "application/json", at, false).statusCode()).isEqualTo(201);
        HttpResponse<String> refused = client.post("/api/v1/lineage", ADMIN, "application/json", past, true);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(413);
        assertThat(refused.headers().firstValue("Retry-After")).isEmpty();
        assertThat(refused.body()).contains("topic " + topic + "'s max.message.bytes of " + TOPIC_LIMIT);
        assertThat(kafka.written(topic)).isEqualTo(2);

        // The derived body limit is the largest record's value: just past it is refused before it is read whole.
        byte[] overBody = new byte[TOPIC_LIMIT - RecordSizes.OVERHEAD_BYTES + 1];
        java.util.Arrays.fill(overBody, (byte) ' ');
        assertThat(client.post("/api/v1/lineage", ADMIN, "application/json", overBody, false).statusCode()).isEqualTo(413);
        assertThat(client.get("/metrics", null).body()).contains("endpoint=\"lineage\",status=\"413\"");
    }

    @Test
    void aTopicLimitLoweredAfterStartIsStill413NeverA503(TestKafka kafka) throws Exception {
        String topic = kafka.newTopic("openlineage-events", 1);
        api = IngestApi.start(env(kafka, topic, Map.of()));
        IngestApiClient client = new IngestApiClient(api.port());
        kafka.setTopicConfig(topic, "max.message.bytes", "2000");
        // Random text: snappy cannot shrink it under the new limit.
        HttpResponse<String> refused = client.post("/api/v1/lineage", ADMIN, "application/json", eventOfRecordSize(12_000), false);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(413);
        assertThat(refused.body()).contains("too large");
    }

    @Test
    void aTopicTheApiCannotWriteIsAPermanentRefusalNotA503(TestKafka kafka) throws Exception {
        String topic = kafka.newTopic("openlineage-events", 1);
        api = IngestApi.start(env(kafka, topic, Map.of("LINEAGEHUB_INGEST_SPANS_TOPIC", "not a valid topic name")));
        IngestApiClient client = new IngestApiClient(api.port());
        HttpResponse<String> answer = client.post("/v1/traces", ADMIN, "application/json",
                "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"name\":\"a\"}]}]}]}".getBytes(StandardCharsets.UTF_8), false);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(500);
        assertThat(answer.headers().firstValue("Retry-After")).isEmpty();
        assertThat(answer.body()).contains("Kafka refuses this API's writes to not a valid topic name");
    }

    @Test
    void limitsThatCannotAgreeRefuseTheStartNamingTheSettings(TestKafka kafka) {
        String topic = kafka.newTopic("openlineage-events", 1, Map.of("max.message.bytes", String.valueOf(TOPIC_LIMIT)));
        int largest = TOPIC_LIMIT - RecordSizes.OVERHEAD_BYTES;
        assertThatThrownBy(() -> IngestApi.start(env(kafka, topic, Map.of("LINEAGEHUB_INGEST_MAX_BODY_BYTES", String.valueOf(largest + 1)))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("LINEAGEHUB_INGEST_MAX_BODY_BYTES (" + (largest + 1) + ")")
                .hasMessageContaining("max.message.bytes of " + TOPIC_LIMIT);
        assertThatThrownBy(() -> IngestApi.start(env(kafka, topic, Map.of("LINEAGEHUB_INGEST_KAFKA_MAX_REQUEST_SIZE", "2000000",
                "LINEAGEHUB_INGEST_KAFKA_BUFFER_MEMORY", "1000000"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("LINEAGEHUB_INGEST_KAFKA_MAX_REQUEST_SIZE (2000000)")
                .hasMessageContaining("LINEAGEHUB_INGEST_KAFKA_BUFFER_MEMORY");
        assertThatThrownBy(() -> IngestApi.start(env(kafka, topic, Map.of("LINEAGEHUB_INGEST_MAX_BODY_BYTES", "1023"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("LINEAGEHUB_INGEST_MAX_BODY_BYTES");
    }

    @Test
    void aBodyLimitAtTheLargestRecordStarts(TestKafka kafka) throws Exception {
        String topic = kafka.newTopic("openlineage-events", 1, Map.of("max.message.bytes", String.valueOf(TOPIC_LIMIT)));
        api = IngestApi.start(env(kafka, topic, Map.of("LINEAGEHUB_INGEST_MAX_BODY_BYTES", String.valueOf(TOPIC_LIMIT - RecordSizes.OVERHEAD_BYTES))));
        assertThat(api.port()).isPositive();
    }

    /** A valid event whose Kafka record (value, key, framing) is exactly {@code recordBytes}, padded with random text. */
    private static byte[] eventOfRecordSize(int recordBytes) throws Exception {
        ObjectNode event = (ObjectNode) IngestApiClient.JSON.readTree(SampleEvents.json(SampleEvents.run(EventType.START,
                UUID.randomUUID(), "team-a", "job", List.of(), List.of())));
        ObjectNode facet = ((ObjectNode) event.path("run")).putObject("facets").putObject("padding");
        facet.put("_producer", "https://example.com/test").put("_schemaURL", "https://example.com/padding.json").put("text", "");
        byte[] empty = IngestApiClient.JSON.writeValueAsBytes(event);
        byte[] key = TransportKey.bytes(OpenLineageEvent.parse(empty).transportKey());
        int padding = recordBytes - RecordSizes.sizeOf(key, empty);
        byte[] random = new byte[padding];
        new Random(padding).nextBytes(random);
        facet.put("text", Base64.getEncoder().encodeToString(random).substring(0, padding));
        byte[] bytes = IngestApiClient.JSON.writeValueAsBytes(event);
        assertThat(RecordSizes.sizeOf(key, bytes)).isEqualTo(recordBytes);
        return bytes;
    }
}
