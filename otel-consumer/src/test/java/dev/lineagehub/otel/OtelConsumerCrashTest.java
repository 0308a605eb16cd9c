package dev.lineagehub.otel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lineagehub.otel.schema.OtelSchema;
import dev.lineagehub.testing.clickhouse.ClickHouseHttpFixture;
import dev.lineagehub.otel.testing.LogRequests;
import dev.lineagehub.otel.testing.MetricRequests;
import dev.lineagehub.otel.testing.SpanRequests;
import dev.lineagehub.testing.Await;
import dev.lineagehub.testing.ConsumerProcess;
import dev.lineagehub.testing.RealKafka;
import dev.lineagehub.testing.TestEnv;
import dev.lineagehub.testing.TestKafka;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * Exactly once through crashes: two otel-consumer processes, one of them killed with {@code kill -9}
 * at a random moment while batches are being inserted, five times, and started again each time with
 * another {@code LINEAGEHUB_OTEL_BATCH_ROWS}. Every span, metric data point and log record carries its own id;
 * every table must hold each exactly once.
 */
@ExtendWith(RealKafka.class)
class OtelConsumerCrashTest {

    private static final int SPAN_RECORDS = 3_000;
    private static final int SPANS_PER_RECORD = 10;
    private static final int METRIC_RECORDS = 600;
    private static final int LOG_RECORDS = 1_500;
    private static final int KILLS = 5;
    private static final List<String> BATCH_ROWS = List.of("2000", "300", "5000", "700", "1000", "150");

    private final List<ConsumerProcess> processes = new ArrayList<>();
    private ClickHouseHttpFixture clickhouse;

    @BeforeEach
    void startClickHouse() throws Exception {
        clickhouse = new ClickHouseHttpFixture(Files.createTempDirectory("chdb"));
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (ConsumerProcess process : processes) {
            process.close();
        }
        clickhouse.close();
    }

    @Test
    void killedFiveTimesDuringInsertsWithTwoInstancesEveryRowIsStoredOnce(TestKafka kafka) throws Exception {
        String spans = kafka.newTopic("otlp_spans", 4);
        String metrics = kafka.newTopic("otlp_metrics", 2);
        String logs = kafka.newTopic("otlp_logs", 2);
        Map<String, String> env = TestEnv.forConsumer(new OtelConsumer(), kafka, "otel-crash-" + spans);
        env.put("LINEAGEHUB_OTEL_SPANS_TOPIC", spans);
        env.put("LINEAGEHUB_OTEL_METRICS_TOPIC", metrics);
        env.put("LINEAGEHUB_OTEL_LOGS_TOPIC", logs);
        env.put("LINEAGEHUB_OTEL_URL", clickhouse.jdbcUrl());
        env.put("LINEAGEHUB_OTEL_KAFKA_COMMIT_INTERVAL_MS", "1000");
        env.put("LINEAGEHUB_OTEL_BATCH_MAX_MS", "300");
        env.put("LINEAGEHUB_OTEL_KAFKA_SESSION_TIMEOUT_MS", "6000");
        env.put("LINEAGEHUB_OTEL_KAFKA_HEARTBEAT_INTERVAL_MS", "1000");
        ConsumerProcess[] instances = {start(env, 0), start(env, 1)};

        // Written while the instances die and come back, so that every kill lands among inserts.
        CompletableFuture<Void> producing = CompletableFuture.runAsync(() -> {
            for (int chunk = 0; chunk < 30; chunk++) {
                SpanRequests.publish(kafka, spans, chunk * (SPAN_RECORDS / 30), SPAN_RECORDS / 30, SPANS_PER_RECORD);
                MetricRequests.publish(kafka, metrics, chunk * (METRIC_RECORDS / 30), METRIC_RECORDS / 30);
                LogRequests.publish(kafka, logs, chunk * (LOG_RECORDS / 30), LOG_RECORDS / 30);
                sleep(1_000);
            }
        });
        Await.until(Duration.ofSeconds(60), () -> clickhouse.rows("otel." + OtelSchema.TRACES) > 0, () -> "inserting");
        Random random = new Random(42);
        for (int kill = 0; kill < KILLS; kill++) {
            sleep(1_500 + random.nextInt(3_000));
            int victim = random.nextInt(2);
            long before = clickhouse.rows("otel." + OtelSchema.TRACES);
            instances[victim].kill();
            instances[victim] = start(env, kill + 2);
            assertThat(before).as("kill %d came while spans were still arriving", kill).isLessThan(SPAN_RECORDS * SPANS_PER_RECORD);
        }
        producing.join();

        long expectedSpans = (long) SPAN_RECORDS * SPANS_PER_RECORD;
        Await.until(Duration.ofSeconds(120), () -> clickhouse.rows("otel." + OtelSchema.TRACES) >= expectedSpans
                        && OtelSchema.METRIC_TABLES.stream().allMatch(table -> clickhouse.rows("otel." + table) >= METRIC_RECORDS)
                        && clickhouse.rows("otel." + OtelSchema.LOGS) >= LOG_RECORDS,
                () -> clickhouse.rows("otel." + OtelSchema.TRACES) + " of " + expectedSpans + " spans stored");
        Await.until(Duration.ofSeconds(60), () -> kafka.lag(env.get("LINEAGEHUB_OTEL_KAFKA_APPLICATION_ID"), spans) == 0
                && kafka.lag(env.get("LINEAGEHUB_OTEL_KAFKA_APPLICATION_ID"), metrics) == 0
                && kafka.lag(env.get("LINEAGEHUB_OTEL_KAFKA_APPLICATION_ID"), logs) == 0, () -> "all committed");
        assertThat(clickhouse.query("SELECT count(), uniqExact(SpanId) FROM otel." + OtelSchema.TRACES))
                .as("spans: rows and distinct ids").isEqualTo(expectedSpans + "\t" + expectedSpans);
        assertThat(clickhouse.query("SELECT count(), uniqExact(TraceId) FROM otel." + OtelSchema.TRACE_ID_TS))
                .as("one row per trace (each trace is one record)").isEqualTo(SPAN_RECORDS + "\t" + SPAN_RECORDS);
        for (String table : OtelSchema.METRIC_TABLES) {
            assertThat(clickhouse.query("SELECT count(), uniqExact(Attributes['" + MetricRequests.RECORD + "']) FROM otel." + table))
                    .as(table + ": rows and distinct data points").isEqualTo(METRIC_RECORDS + "\t" + METRIC_RECORDS);
        }
        assertThat(clickhouse.query("SELECT count(), uniqExact(LogAttributes['" + LogRequests.RECORD + "']) FROM otel." + OtelSchema.LOGS))
                .as("logs: rows and distinct records").isEqualTo(LOG_RECORDS + "\t" + LOG_RECORDS);
        assertThat(clickhouse.query("SELECT count() FROM otel." + OtelSchema.LOGS + " l JOIN otel." + OtelSchema.TRACE_ID_TS
                + " t ON l.TraceId = t.TraceId")).as("every log joins its trace").isEqualTo(String.valueOf(LOG_RECORDS));
        assertThat(kafka.read(spans + "-otel-dlq", 1, Duration.ofSeconds(1))).as("nothing dead-lettered").isEmpty();
    }

    private ConsumerProcess start(Map<String, String> env, int generation) throws Exception {
        Map<String, String> withBatch = new java.util.HashMap<>(env);
        withBatch.put("LINEAGEHUB_OTEL_BATCH_ROWS", BATCH_ROWS.get(generation % BATCH_ROWS.size()));
        ConsumerProcess process = ConsumerProcess.start(OtelConsumer.class, withBatch, "256m");
        processes.add(process);
        return process;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
