package dev.lineagehub.otel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lineagehub.delivery.deadletter.DeadLetters;
import dev.lineagehub.testing.clickhouse.ClickHouseHttpFixture;
import dev.lineagehub.otel.testing.SpanRequests;
import dev.lineagehub.runtime.ConsumerRuntime;
import dev.lineagehub.testing.Await;
import dev.lineagehub.testing.RealKafka;
import dev.lineagehub.testing.TestEnv;
import dev.lineagehub.testing.TestKafka;


import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KafkaStreams;
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

/**
 * otel-consumer under faults, several instances on a real broker: every span has a unique id and must
 * be stored exactly once; nothing healthy may be dead-lettered.
 */
@ExtendWith(RealKafka.class)
class OtelConsumerFaultTest {

    private static final int SPANS_PER_RECORD = 20;

    private final List<ConsumerRuntime> instances = new ArrayList<>();
    private ClickHouseHttpFixture clickhouse;

    @BeforeEach
    void startClickHouse() throws Exception {
        clickhouse = new ClickHouseHttpFixture(Files.createTempDirectory("chdb"));
    }

    @AfterEach
    void stopEverything() throws Exception {
        instances.forEach(ConsumerRuntime::close);
        clickhouse.close();
    }

    @Test
    void clickHouseDownLongerThanMaxPollIntervalWhileAnInstanceJoinsStoresEverySpanOnce(TestKafka kafka) throws Exception {
        String topic = kafka.newTopic("otlp_spans", 4);
        Map<String, String> settings = Map.of("LINEAGEHUB_OTEL_KAFKA_MAX_POLL_INTERVAL_MS", "5000");
        ConsumerRuntime first = start(kafka, topic, settings);
        ConsumerRuntime second = start(kafka, topic, settings);
        SpanRequests.publish(kafka, topic, 0, 100, SPANS_PER_RECORD);
        Await.until(Duration.ofSeconds(60), () -> clickhouse.rows("otel.otel_traces") == 100 * SPANS_PER_RECORD,
                () -> clickhouse.rows("otel.otel_traces") + " spans before the outage");

        clickhouse.down();
        SpanRequests.publish(kafka, topic, 100, 300, SPANS_PER_RECORD);
        Thread.sleep(8_000);
        assertThat(List.of(first.state(), second.state())).as("running through the outage").containsOnly(KafkaStreams.State.RUNNING);
        // Partitions move while ClickHouse is down: revoked tasks release their queued rows to the new owner.
        ConsumerRuntime third = start(kafka, topic, settings);
        Await.until(Duration.ofSeconds(30), () -> third.state() == KafkaStreams.State.RUNNING, () -> "third instance running");
        Thread.sleep(5_000);
        assertThat(List.of(first.state(), second.state(), third.state())).containsOnly(KafkaStreams.State.RUNNING);
        clickhouse.up();

        Await.until(Duration.ofSeconds(90), () -> clickhouse.rows("otel.otel_traces") == 400 * SPANS_PER_RECORD,
                () -> clickhouse.rows("otel.otel_traces") + " of " + 400 * SPANS_PER_RECORD + " spans after ClickHouse is back");
        Thread.sleep(2_000);
        assertThat(clickhouse.query("SELECT count(), uniqExact(SpanId) FROM otel.otel_traces"))
                .as("every span exactly once").isEqualTo(400 * SPANS_PER_RECORD + "\t" + 400 * SPANS_PER_RECORD);
        assertThat(kafka.read(topic + "-otel-dlq", 1, Duration.ofSeconds(1))).as("nothing dead-lettered").isEmpty();
        Await.until(Duration.ofSeconds(30), () -> kafka.lag(first.applicationId(), topic) == 0, () -> "all committed");
    }

    @Test
    void hostileRecordsAreDeadLetteredOrSkippedWhileEverySpanLandsOnce(TestKafka kafka) throws Exception {
        String topic = kafka.newTopic("otlp_spans", 2, Map.of("max.message.bytes", "4000000"));
        // The dead-letter topic takes smaller records than the input topic.
        kafka.createTopic(topic + "-otel-dlq", 2, Map.of("max.message.bytes", "100000"));
        ConsumerRuntime consumer = start(kafka, topic, Map.of());
        // Valid requests without a single span: nothing to insert, nothing to dead-letter.
        byte[] empty = ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.getDefaultInstance()).build().toByteArray();
        for (int i = 0; i < 5; i++) {
            kafka.send(topic, null, empty);
        }
        // An empty value is the protobuf encoding of an empty request: committed without a row, not dead-lettered.
        kafka.send(topic, null, new byte[0]);
        kafka.flush();
        Thread.sleep(1_000);
        SpanRequests.publish(kafka, topic, 0, 50, SPANS_PER_RECORD);
        kafka.sendLarge(topic, null, new byte[3_000_000]);
        kafka.send(topic, null, "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"zz\"}]}]}]}".getBytes(StandardCharsets.UTF_8));
        kafka.flush();
        SpanRequests.publish(kafka, topic, 50, 50, SPANS_PER_RECORD);

        Await.until(Duration.ofSeconds(60), () -> clickhouse.rows("otel.otel_traces") == 100 * SPANS_PER_RECORD,
                () -> clickhouse.rows("otel.otel_traces") + " spans stored");
        List<ConsumerRecord<byte[], byte[]>> dead = kafka.read(topic + "-otel-dlq", 2, Duration.ofSeconds(30));
        assertThat(dead).extracting(r -> TestKafka.header(r, DeadLetters.HEADER_REASON))
                .containsExactlyInAnyOrder(DeadLetters.RECORD_TOO_LARGE, "UNDECODABLE");
        assertThat(kafka.read(topic + "-otel-dlq", 3, Duration.ofSeconds(2))).as("nothing else").hasSize(2);
        Await.until(Duration.ofSeconds(30), () -> kafka.lag(consumer.applicationId(), topic) == 0, () -> "all committed");
        assertThat(clickhouse.query("SELECT uniqExact(SpanId) FROM otel.otel_traces")).isEqualTo(String.valueOf(100 * SPANS_PER_RECORD));
        assertThat(consumer.state()).isEqualTo(KafkaStreams.State.RUNNING);
    }

    private ConsumerRuntime start(TestKafka kafka, String topic, Map<String, String> extra) {
        Map<String, String> env = TestEnv.forConsumer(new OtelConsumer(), kafka, "otel-fault-" + topic);
        env.put("LINEAGEHUB_OTEL_SPANS_TOPIC", topic);
        env.put("LINEAGEHUB_OTEL_METRICS_TOPIC", "");
        env.put("LINEAGEHUB_OTEL_LOGS_TOPIC", "");
        env.put("LINEAGEHUB_OTEL_URL", clickhouse.jdbcUrl());
        env.put("LINEAGEHUB_OTEL_KAFKA_COMMIT_INTERVAL_MS", "1000");
        env.put("LINEAGEHUB_OTEL_BATCH_MAX_MS", "200");
        env.put("LINEAGEHUB_OTEL_KAFKA_SESSION_TIMEOUT_MS", "6000");
        env.put("LINEAGEHUB_OTEL_KAFKA_HEARTBEAT_INTERVAL_MS", "1000");
        env.putAll(extra);
        ConsumerRuntime consumer = ConsumerRuntime.start(new OtelConsumer(), env);
        instances.add(consumer);
        return consumer;
    }

}
