package dev.lineagehub.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lineagehub.openlineage.OpenLineageEvent;
import dev.lineagehub.testing.BrokerProcess;
import dev.lineagehub.testing.SampleEvents;

import io.openlineage.client.OpenLineage.RunEvent.EventType;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The broker killed under a stream of writes and started again: while it is down every write is
 * answered 503 with Retry-After (never 201), once it is back writes are accepted again, and every run
 * id answered 201 is in the topic.
 */
class IngestApiKafkaDownTest {

    private BrokerProcess broker;
    private IngestApi api;

    @AfterEach
    void stop() throws Exception {
        if (api != null) {
            api.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void nothingAcknowledgedIsLostWhileKafkaIsDownAndBack() throws Exception {
        broker = BrokerProcess.start();
        String topic = broker.kafka().newTopic("openlineage-events", 2);
        api = IngestApi.start(Map.of("LINEAGEHUB_INGEST_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(), "LINEAGEHUB_INGEST_PORT", "0",
                "LINEAGEHUB_INGEST_LINEAGE_TOPIC", topic, "LINEAGEHUB_INGEST_AUTH", "none", "LINEAGEHUB_INGEST_AUDIT_TOPIC", "",
                "LINEAGEHUB_INGEST_PUBLISH_TIMEOUT_MS", "1500"));
        IngestApiClient client = new IngestApiClient(api.port());
        Set<String> acknowledged = new HashSet<>();

        for (int i = 0; i < 20; i++) {
            assertThat(post(client, acknowledged)).isEqualTo(201);
        }
        broker.kill();
        int refused = 0;
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> answer = send(client, UUID.randomUUID());
            assertThat(answer.statusCode()).as("a write while Kafka is down").isEqualTo(503);
            assertThat(answer.headers().firstValue("Retry-After")).isPresent();
            refused++;
        }
        assertThat(client.get("/api/v1/health", null).statusCode()).isEqualTo(503);
        broker.restart();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        int accepted = 0;
        while (accepted < 20 && System.nanoTime() < deadline) {
            if (post(client, acknowledged) == 201) {
                accepted++;
            }
        }
        assertThat(accepted).as("writes accepted once Kafka is back").isEqualTo(20);
        assertThat(refused).isEqualTo(5);

        List<ConsumerRecord<byte[], byte[]>> records = broker.kafka().read(topic, acknowledged.size() + 5, Duration.ofSeconds(20));
        Set<String> stored = new HashSet<>();
        records.forEach(record -> stored.add(OpenLineageEvent.parse(record.value()).runId().orElseThrow()));
        assertThat(stored).as("every run id answered 201").containsAll(acknowledged);
    }

    private static int post(IngestApiClient client, Set<String> acknowledged) throws Exception {
        UUID run = UUID.randomUUID();
        int status = send(client, run).statusCode();
        if (status == 201) {
            acknowledged.add(run.toString());
        }
        return status;
    }

    private static HttpResponse<String> send(IngestApiClient client, UUID run) throws Exception {
        return client.post("/api/v1/lineage", null, "application/json",
                SampleEvents.json(SampleEvents.run(EventType.START, run, "team-a", "job", List.of(), List.of())), false);
    }
}
