package dev.lineagehub.otel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lineagehub.delivery.deadletter.DeadLetters;
import dev.lineagehub.runtime.ConsumerRuntime;
import dev.lineagehub.testing.Await;
import dev.lineagehub.testing.ConsumerProcess;
import dev.lineagehub.testing.RealKafka;
import dev.lineagehub.testing.TestEnv;
import dev.lineagehub.testing.TestKafka;
import dev.lineagehub.testing.clickhouse.ClickHouseHttpFixture;
import dev.lineagehub.otel.testing.SpanRequests;



import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** otel-consumer end to end: a real Kafka broker, the consumer, and the real ClickHouse engine behind its HTTP interface. */
@ExtendWith(RealKafka.class)
class OtelConsumerIntegrationTest {

    private static final int SPANS_PER_RECORD = 50;

    private final List<AutoCloseable> running = new ArrayList<>();
    private ClickHouseHttpFixture clickhouse;

    @BeforeEach
    void startClickHouse() throws Exception {
        clickhouse = new ClickHouseHttpFixture(Files.createTempDirectory("chdb"));
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (AutoCloseable resource : running) {
            resource.close();
        }
        clickhouse.close();
    }

    @Test
    void aHundredThousandSpansOnFourPartitionsLandExactlyOnce(TestKafka kafka) throws Exception {
        String topic = kafka.newTopic("otlp_spans", 4);
        SpanRequests.publish(kafka, topic, 0, 2_000, SPANS_PER_RECORD);

        ConsumerRuntime consumer = startConsumer(kafka, topic, Map.of());
        Await.until(Duration.ofSeconds(120), () -> clickhouse.rows("otel.otel_traces") >= 100_000,
                () -> clickhouse.rows("otel.otel_traces") + " of 100000 spans stored");
        Await.until(Duration.ofSeconds(30), () -> kafka.lag(consumer.applicationId(), topic) == 0, () -> "offsets committed");
        assertThat(clickhouse.rows("otel.otel_traces")).isEqualTo(100_000);
        // Two stream threads by default, so one thread's insert overlaps the other's decoding.
        assertThat(consumer.registry().get("kafka.stream.alive.stream.threads").gauge().value()).isEqualTo(2.0);
        assertThat(clickhouse.query("SELECT uniqExact(SpanId) FROM otel.otel_traces")).isEqualTo("100000");

        // Grafana's trace view opens a trace through otel_traces_trace_id_ts.
        String traceId = SpanRequests.traceId(7);
        assertThat(clickhouse.query("WITH '" + traceId + "' AS trace_id, "
                + "(SELECT min(Start) FROM otel.otel_traces_trace_id_ts WHERE TraceId = trace_id) AS trace_start, "
                + "(SELECT max(End) + 1 FROM otel.otel_traces_trace_id_ts WHERE TraceId = trace_id) AS trace_end "
                + "SELECT count() FROM otel.otel_traces WHERE TraceId = trace_id AND Timestamp >= trace_start "
                + "AND Timestamp <= trace_end")).isEqualTo(String.valueOf(SPANS_PER_RECORD));
    }

    @Test
    void aCrashBetweenInsertAndCommitStillStoresEverySpanOnce(TestKafka kafka) throws Exception {
        String topic = kafka.newTopic("otlp_spans", 2);
        SpanRequests.publish(kafka, topic, 0, 400, SPANS_PER_RECORD);
        // Commits far apart and small batches: the kill lands after inserts whose offsets are not committed.
        Map<String, String> env = env(kafka, topic, Map.of("LINEAGEHUB_OTEL_KAFKA_COMMIT_INTERVAL_MS", "600000",
                "LINEAGEHUB_OTEL_BATCH_ROWS", "1000"));

        ConsumerProcess first = ConsumerProcess.start(OtelConsumer.class, env, "256m");
        running.add(first);
        Await.until(Duration.ofSeconds(90), () -> clickhouse.rows("otel.otel_traces") >= 5_000,
                () -> clickhouse.rows("otel.otel_traces") + " spans stored before the kill");
        first.kill();
        assertThat(kafka.lag("otel-it-" + topic, topic)).as("nothing committed before the kill").isEqualTo(400);

        ConsumerProcess second = ConsumerProcess.start(OtelConsumer.class, env, "256m");
        running.add(second);
        Await.until(Duration.ofSeconds(120), () -> clickhouse.rows("otel.otel_traces") >= 20_000,
                () -> clickhouse.rows("otel.otel_traces") + " of 20000 spans stored after restart");
        Thread.sleep(2_000);
        assertThat(clickhouse.rows("otel.otel_traces")).as("every span exactly once").isEqualTo(20_000);
        assertThat(clickhouse.query("SELECT uniqExact(SpanId) FROM otel.otel_traces")).isEqualTo("20000");
    }

    @Test
    void clickHouseDownForTenSecondsLosesNothingAndUndecodableRecordsAreDeadLettered(TestKafka kafka) throws Exception {
        String topic = kafka.newTopic("otlp_spans", 2);
        ConsumerRuntime consumer = startConsumer(kafka, topic, Map.of());
        SpanRequests.publish(kafka, topic, 0, 10, SPANS_PER_RECORD);
        Await.until(Duration.ofSeconds(60), () -> clickhouse.rows("otel.otel_traces") == 500,
                () -> clickhouse.rows("otel.otel_traces") + " of the first 500 spans");

        clickhouse.down();
        SpanRequests.publish(kafka, topic, 10, 40, SPANS_PER_RECORD);
        kafka.send(topic, null, "not an OTLP message".getBytes(StandardCharsets.UTF_8));
        kafka.flush();
        ConsumerRecord<byte[], byte[]> undecodable = kafka.read(topic, 51, Duration.ofSeconds(10)).stream()
                .filter(r -> r.key() == null).findFirst().orElseThrow();
        Thread.sleep(10_000);
        assertThat(consumer.state().isRunningOrRebalancing()).as("still running while ClickHouse is down").isTrue();
        clickhouse.up();

        Await.until(Duration.ofSeconds(60), () -> clickhouse.rows("otel.otel_traces") == 2_500,
                () -> clickhouse.rows("otel.otel_traces") + " of 2500 spans after ClickHouse is back");
        List<ConsumerRecord<byte[], byte[]>> dead = kafka.read(topic + "-otel-dlq", 2, Duration.ofSeconds(10));
        // Dead letters are at least once, like deliveries: one written before a rebalance is written again by the next owner.
        assertThat(dead).extracting(OtelConsumerIntegrationTest::describeDeadLetter)
                .containsOnly("UNDECODABLE " + topic + "-" + undecodable.partition() + "@" + undecodable.offset());
        Await.until(Duration.ofSeconds(30), () -> kafka.lag(consumer.applicationId(), topic) == 0, () -> "offsets committed");
    }

    @Test
    void metricsInOtlpJsonLandInTheirFiveTables(TestKafka kafka) throws Exception {
        String spans = kafka.newTopic("otlp_spans", 1);
        String metrics = kafka.newTopic("otlp_metrics", 2);
        byte[] json;
        try (java.io.InputStream in = getClass().getClassLoader().getResourceAsStream("otlp/metrics.json")) {
            json = in.readAllBytes();
        }
        for (int i = 0; i < 3; i++) {
            kafka.send(metrics, null, json);
        }
        kafka.flush();
        ConsumerRuntime consumer = startConsumer(kafka, spans, Map.of("LINEAGEHUB_OTEL_METRICS_TOPIC", metrics,
                "LINEAGEHUB_OTEL_METRICS_ENCODING", "otlp_json"));
        Await.until(Duration.ofSeconds(60), () -> clickhouse.rows("otel.otel_metrics_summary") == 3, () -> "metrics stored");
        for (String table : List.of("otel_metrics_gauge", "otel_metrics_sum", "otel_metrics_histogram",
                "otel_metrics_exponential_histogram", "otel_metrics_summary")) {
            assertThat(clickhouse.rows("otel." + table)).as(table).isEqualTo(3);
        }
        Await.until(Duration.ofSeconds(30), () -> kafka.lag(consumer.applicationId(), metrics) == 0, () -> "offsets committed");
    }

    @Test
    void runStateChangesLandInLineageRunsAndJoinWithTheirTrace(TestKafka kafka) throws Exception {
        String spans = kafka.newTopic("otlp_spans", 1);
        String lineage = kafka.newTopic("openlineage-events", 2);
        SpanRequests.publish(kafka, spans, 0, 1, SPANS_PER_RECORD);
        String runId = "0b7e2c39-6a51-4c8c-9d86-1c4c1b0e2f33";
        for (String type : List.of("START", "COMPLETE")) {
            String event = "{\"eventType\":\"" + type + "\",\"eventTime\":\"2026-11-20T06:00:0" + (type.equals("START") ? 0 : 9)
                    + "Z\",\"producer\":\"https://github.com/apache/airflow\",\"schemaURL\":"
                    + "\"https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent\","
                    + "\"run\":{\"runId\":\"" + runId + "\",\"facets\":{\"otelTrace\":{\"_producer\":\"x\",\"_schemaURL\":\"y\","
                    + "\"traceId\":\"" + SpanRequests.traceId(0) + "\",\"spanId\":\"0000000000000000\"}}},"
                    + "\"job\":{\"namespace\":\"airflow-prod\",\"name\":\"orders_daily.load\"},"
                    + "\"inputs\":[{\"namespace\":\"postgres://db:5432\",\"name\":\"shop.public.orders\"}],\"outputs\":[]}";
            kafka.send(lineage, ("run:airflow-prod/orders_daily").getBytes(StandardCharsets.UTF_8), event.getBytes(StandardCharsets.UTF_8));
        }
        kafka.send(lineage, null, "{\"not\":\"an event\"}".getBytes(StandardCharsets.UTF_8));
        kafka.flush();

        startConsumer(kafka, spans, Map.of("LINEAGEHUB_OTEL_LINEAGE_TOPIC", lineage));
        Await.until(Duration.ofSeconds(60),
                () -> clickhouse.rows("otel.lineage_runs") == 2 && clickhouse.rows("otel.otel_traces") == SPANS_PER_RECORD,
                () -> clickhouse.rows("otel.lineage_runs") + " runs, " + clickhouse.rows("otel.otel_traces") + " spans");
        assertThat(clickhouse.query("SELECT r.EventType, r.Inputs, count() FROM otel.lineage_runs AS r "
                + "INNER JOIN otel.otel_traces AS t ON t.TraceId = r.TraceId WHERE r.RunId = '" + runId + "' "
                + "GROUP BY r.EventType, r.Inputs ORDER BY r.EventType").lines().toList())
                .containsExactly("COMPLETE\t['postgres://db:5432/shop.public.orders']\t50",
                        "START\t['postgres://db:5432/shop.public.orders']\t50");
        List<ConsumerRecord<byte[], byte[]>> dead = kafka.read(lineage + "-otel-dlq", 1, Duration.ofSeconds(30));
        assertThat(new String(dead.get(0).headers().lastHeader(DeadLetters.HEADER_REASON).value(), StandardCharsets.UTF_8))
                .isEqualTo("MISSING_FIELD");
    }

    /** Reason and source of a dead letter, from its headers. */
    private static String describeDeadLetter(ConsumerRecord<byte[], byte[]> record) {
        return TestKafka.header(record, DeadLetters.HEADER_REASON) + " " + TestKafka.header(record, "__streams.errors.topic") + "-"
                + TestKafka.header(record, "__streams.errors.partition") + "@" + TestKafka.header(record, "__streams.errors.offset");
    }

    @Test
    void tablesThatCannotTakeTheRowsRefuseTheStartNamingTheColumn(TestKafka kafka) throws Exception {
        String topic = kafka.newTopic("otlp_spans", 1);
        clickhouse.query("CREATE DATABASE IF NOT EXISTS theirs");
        clickhouse.query("CREATE TABLE theirs.otel_traces (Timestamp DateTime64(9), Duration String) ENGINE = MergeTree ORDER BY Timestamp");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> startConsumer(kafka, topic, Map.of("LINEAGEHUB_OTEL_DATABASE", "theirs")))
                .isInstanceOf(org.apache.kafka.common.config.ConfigException.class)
                .hasMessageContaining("LINEAGEHUB_OTEL_DATABASE").hasMessageContaining("otel_traces.Duration is String");
    }

    private ConsumerRuntime startConsumer(TestKafka kafka, String topic, Map<String, String> extra) throws Exception {
        ConsumerRuntime consumer = ConsumerRuntime.start(new OtelConsumer(), env(kafka, topic, extra));
        running.add(consumer);
        return consumer;
    }

    private Map<String, String> env(TestKafka kafka, String topic, Map<String, String> extra) throws Exception {
        Map<String, String> env = TestEnv.forConsumer(new OtelConsumer(), kafka, "otel-it-" + topic);
        env.put("LINEAGEHUB_OTEL_SPANS_TOPIC", topic);
        env.put("LINEAGEHUB_OTEL_METRICS_TOPIC", "");
        env.put("LINEAGEHUB_OTEL_LOGS_TOPIC", "");
        env.put("LINEAGEHUB_OTEL_URL", clickhouse.jdbcUrl());
        env.put("LINEAGEHUB_OTEL_KAFKA_COMMIT_INTERVAL_MS", "1000");
        env.put("LINEAGEHUB_OTEL_BATCH_MAX_MS", "200");
        env.putAll(extra);
        return env;
    }


}
