package dev.lineagehub.otel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lineagehub.delivery.deadletter.DeadLetters;
import dev.lineagehub.otel.testing.SpanRequests;
import dev.lineagehub.runtime.ConsumerRuntime;
import dev.lineagehub.testing.Await;
import dev.lineagehub.testing.RealKafka;
import dev.lineagehub.testing.TestEnv;
import dev.lineagehub.testing.TestKafka;
import dev.lineagehub.testing.clickhouse.ClickHouseHttpFixture;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * otel-consumer at the boundaries of its sink and its logs, on a real broker and the real engine:
 * every record is counted by its span id, and produced = stored + dead-lettered with nothing stored twice.
 */
@ExtendWith(RealKafka.class)
class OtelConsumerBoundariesTest {

    private static final long DAY_NANOS = Duration.ofDays(1).toNanos();

    private final List<ConsumerRuntime> running = new ArrayList<>();
    private ClickHouseHttpFixture clickhouse;

    @BeforeEach
    void startClickHouse() throws Exception {
        clickhouse = new ClickHouseHttpFixture(Files.createTempDirectory("chdb"));
    }

    @AfterEach
    void stop() {
        running.forEach(ConsumerRuntime::close);
        clickhouse.close();
    }

    /**
     * One partition, one span per record: a backlog of 150 days (more partitions than one insert may
     * touch), records ClickHouse refuses on their own (a constraint), a read-only spell and a proxy
     * answering 502 for a while. Nothing stalls, and only the refused records are dead-lettered.
     */
    @Test
    void everyKindOfRefusalEndsStoredOrDeadLetteredOnOnePartition(TestKafka kafka) throws Exception {
        String topic = kafka.newTopic("otlp_spans", 1);
        startConsumer(kafka, topic, "boundaries-" + topic).close();
        running.clear();
        clickhouse.query("ALTER TABLE otel.otel_traces ADD CONSTRAINT no_poison CHECK SpanName != 'poison'");
        long today = Instant.now().getEpochSecond() / 86_400 * DAY_NANOS + DAY_NANOS / 2;
        Set<String> produced = new HashSet<>();
        Set<String> poisoned = new HashSet<>();
        for (int r = 0; r < 300; r++) {
            String name = r % 37 == 5 ? "poison" : "GET /orders";
            byte[] request = SpanRequests.single(r + 1, name, r < 150 ? today - r * DAY_NANOS : today);
            produced.add(SpanRequests.spanIdOf(request));
            if (name.equals("poison")) {
                poisoned.add(SpanRequests.spanIdOf(request));
            }
            kafka.send(topic, null, request);
        }
        kafka.flush();
        clickhouse.withSettings("INSERT INTO otel.", Map.of("readonly", "1"), 10);
        ConsumerRuntime consumer = startConsumer(kafka, topic, "boundaries-" + topic);
        Await.until(Duration.ofSeconds(90), () -> clickhouse.rows("otel.otel_traces") >= 100,
                () -> clickhouse.rows("otel.otel_traces") + " spans stored before the proxy spell");
        clickhouse.answerAsProxy(502, 6);

        Await.until(Duration.ofSeconds(120), () -> clickhouse.rows("otel.otel_traces") == produced.size() - poisoned.size(),
                () -> clickhouse.rows("otel.otel_traces") + " of " + (produced.size() - poisoned.size()) + " spans stored");
        List<ConsumerRecord<byte[], byte[]>> dead = kafka.read(topic + "-otel-dlq", poisoned.size() + 1, Duration.ofSeconds(15));
        Set<String> deadLettered = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> letter : dead) {
            deadLettered.add(SpanRequests.spanIdOf(letter.value()));
            assertThat(TestKafka.header(letter, DeadLetters.HEADER_SINK_STATUS)).isEqualTo("ClickHouse code 469 VIOLATED_CONSTRAINT");
            assertThat(TestKafka.header(letter, "__streams.errors.message")).contains("no_poison");
        }
        Set<String> stored = new HashSet<>(clickhouse.query("SELECT SpanId FROM otel.otel_traces").lines().toList());
        assertThat(deadLettered).as("dead-lettered: exactly the refused records").isEqualTo(poisoned);
        Set<String> accounted = new HashSet<>(stored);
        accounted.addAll(deadLettered);
        assertThat(accounted).as("produced = stored + dead-lettered").isEqualTo(produced);
        assertThat(clickhouse.query("SELECT count() = uniqExact(SpanId) FROM otel.otel_traces")).as("none twice").isEqualTo("1");
        Await.until(Duration.ofSeconds(30), () -> kafka.lag(consumer.applicationId(), topic) == 0, () -> "all committed");
    }

    /**
     * A topic deleted and created again starts at offset 0: its records are new data, not replays of
     * the ranges the ledger holds for the old topic — spans and lineage runs alike.
     */
    @Test
    void aTopicCreatedAgainIsNewDataAtTheSameOffsets(TestKafka kafka) throws Exception {
        String spans = kafka.newTopic("otlp_spans", 2);
        String lineage = kafka.newTopic("openlineage-events", 1);
        String group = "recreated-" + spans;
        publish(kafka, spans, lineage, 0);
        startConsumer(kafka, spans, group, Map.of("LINEAGEHUB_OTEL_LINEAGE_TOPIC", lineage));
        Await.until(Duration.ofSeconds(60), () -> clickhouse.rows("otel.otel_traces") == 1_000 && clickhouse.rows("otel.lineage_runs") == 20,
                () -> clickhouse.rows("otel.otel_traces") + " spans, " + clickhouse.rows("otel.lineage_runs") + " runs");
        running.remove(0).close();

        for (String topic : List.of(spans, lineage)) {
            kafka.deleteTopic(topic);
            kafka.createTopic(topic, topic.equals(spans) ? 2 : 1, Map.of());
        }
        publish(kafka, spans, lineage, 50);
        startConsumer(kafka, spans, group, Map.of("LINEAGEHUB_OTEL_LINEAGE_TOPIC", lineage));
        Await.until(Duration.ofSeconds(60), () -> clickhouse.rows("otel.otel_traces") == 2_000 && clickhouse.rows("otel.lineage_runs") == 40,
                () -> clickhouse.rows("otel.otel_traces") + " of 2000 spans, " + clickhouse.rows("otel.lineage_runs") + " of 40 runs");
        assertThat(clickhouse.query("SELECT uniqExact(SpanId) FROM otel.otel_traces")).isEqualTo("2000");
        assertThat(clickhouse.query("SELECT uniqExact(RunId) FROM otel.lineage_runs")).isEqualTo("40");
    }

    /** 50 records of 20 spans from record {@code from} on, and 20 run events with run ids of their own. */
    private static void publish(TestKafka kafka, String spans, String lineage, int from) {
        SpanRequests.publish(kafka, spans, from, 50, 20);
        for (int e = from; e < from + 20; e++) {
            String event = "{\"eventType\":\"START\",\"eventTime\":\"2026-11-20T06:00:00Z\","
                    + "\"producer\":\"https://github.com/apache/airflow\","
                    + "\"schemaURL\":\"https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent\","
                    + "\"run\":{\"runId\":\"" + String.format("0b7e2c39-6a51-4c8c-9d86-%012d", e) + "\"},"
                    + "\"job\":{\"namespace\":\"airflow-prod\",\"name\":\"orders_daily.load\"},\"inputs\":[],\"outputs\":[]}";
            kafka.send(lineage, "run:airflow-prod/orders_daily".getBytes(StandardCharsets.UTF_8), event.getBytes(StandardCharsets.UTF_8));
        }
        kafka.flush();
    }

    private ConsumerRuntime startConsumer(TestKafka kafka, String topic, String group) {
        return startConsumer(kafka, topic, group, Map.of());
    }

    private ConsumerRuntime startConsumer(TestKafka kafka, String topic, String group, Map<String, String> extra) {
        Map<String, String> env = TestEnv.forConsumer(new OtelConsumer(), kafka, group);
        env.put("LINEAGEHUB_OTEL_SPANS_TOPIC", topic);
        env.put("LINEAGEHUB_OTEL_METRICS_TOPIC", "");
        env.put("LINEAGEHUB_OTEL_LOGS_TOPIC", "");
        env.put("LINEAGEHUB_OTEL_URL", clickhouse.jdbcUrl());
        env.put("LINEAGEHUB_OTEL_KAFKA_COMMIT_INTERVAL_MS", "1000");
        env.put("LINEAGEHUB_OTEL_BATCH_MAX_MS", "200");
        env.putAll(extra);
        ConsumerRuntime consumer = ConsumerRuntime.start(new OtelConsumer(), env);
        running.add(consumer);
        return consumer;
    }
}
