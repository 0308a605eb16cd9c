package dev.lineagehub.lineage;

import dev.lineagehub.protocol.TransportKey;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lineagehub.delivery.deadletter.DeadLetters;
import dev.lineagehub.runtime.ConsumerRuntime;
import dev.lineagehub.testing.AdminPort;
import dev.lineagehub.testing.Await;
import dev.lineagehub.testing.RealKafka;
import dev.lineagehub.testing.SampleEvents;
import dev.lineagehub.testing.TestEnv;
import dev.lineagehub.testing.TestKafka;

import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineage.RunEvent.EventType;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/** lineage-consumer end to end: a real Kafka broker, the consumer, and the validating Marquez double. */
@ExtendWith(RealKafka.class)
class LineageConsumerIntegrationTest {

    private final List<AutoCloseable> running = new ArrayList<>();
    private MarquezDouble marquez;

    @BeforeEach
    void startMarquez() throws Exception {
        marquez = new MarquezDouble();
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (AutoCloseable resource : running) {
            resource.close();
        }
        marquez.close();
    }

    @Test
    void deliversFiftyInterleavedRunsInPerRunOrder(TestKafka kafka) throws Exception {
        String topic = kafka.newTopic("openlineage-events", 4);
        marquez.latency(Duration.ofMillis(20));
        List<UUID> runs = RunCorpus.publish(kafka, topic, 50);

        ConsumerRuntime consumer = startConsumer(kafka, topic, Map.of("LINEAGEHUB_LINEAGE_MAX_IN_FLIGHT", "8"));

        Await.until(Duration.ofSeconds(60), () -> marquez.received().size() >= 150,
                () -> marquez.received().size() + " of 150 events delivered; 201s " + marquez.answered(201)
                        + ", in flight " + consumer.metrics().inFlight() + ", lag " + kafka.lag(applicationId(consumer), topic)
                        + ", in the double now " + marquez.concurrentRequests());
        assertThat(marquez.received()).hasSize(150);
        assertEveryRunInLifecycleOrder(runs, marquez.received());
        assertThat(marquez.maxConcurrentRequests()).as("runs are delivered concurrently, within 8 per partition")
                .isBetween(2, 4 * 8);
        assertThat(kafka.read(topic + "-lineage-dlq", 1, Duration.ofSeconds(1))).isEmpty();
        awaitCommitted(kafka, consumer, topic);
    }

    @Test
    void parentRunsReachMarquezBeforeTheirChildrenAsTheTransportKeysThem(TestKafka kafka) throws Exception {
        String topic = kafka.newTopic("openlineage-events", 4);
        marquez.jitter(Duration.ofMillis(10));
        List<OpenLineage.RunEvent> produced = SampleEvents.families(60, 3);
        produced.forEach(event -> kafka.send(topic, TransportKey.bytesOf(event), SampleEvents.json(event)));
        kafka.flush();

        // The defaults: ORDER_BY=key, 32 calls in flight per partition.
        ConsumerRuntime consumer = startConsumer(kafka, topic, Map.of());
        Await.until(Duration.ofSeconds(60), () -> marquez.received().size() >= produced.size(),
                () -> marquez.received().size() + " of " + produced.size() + " events delivered");
        assertThat(marquez.maxConcurrentRequests()).as("families delivered concurrently").isGreaterThan(4);
        // Per key (a parent run and its children), Marquez received the events in the order they were produced.
        Map<String, Integer> position = new HashMap<>();
        Map<String, String> keyOf = new HashMap<>();
        for (int i = 0; i < produced.size(); i++) {
            OpenLineage.RunEvent event = produced.get(i);
            String id = event.getRun().getRunId() + "/" + event.getEventType();
            position.put(id, i);
            keyOf.put(id, new String(TransportKey.bytesOf(event), StandardCharsets.UTF_8));
        }
        Map<String, Integer> lastOfKey = new HashMap<>();
        long outOfOrder = 0;
        for (MarquezDouble.Received r : marquez.received()) {
            String id = r.runId() + "/" + r.eventType();
            Integer previous = lastOfKey.put(keyOf.get(id), position.get(id));
            outOfOrder += previous != null && previous > position.get(id) ? 1 : 0;
        }
        assertThat(outOfOrder).as("events of a family out of producer order").isZero();
        awaitCommitted(kafka, consumer, topic);
    }

    @Test
    void invalidEventsLandOnTheDeadLetterTopicWithTheirReason(TestKafka kafka) throws Exception {
        String topic = kafka.newTopic("openlineage-events", 2);
        String valid = json(SampleEvents.airflowTask(EventType.START, UUID.randomUUID(), UUID.randomUUID(), "dag", "task"));
        Map<String, String> reasons = new LinkedHashMap<>();
        reasons.put("not json at all", "NOT_JSON");
        reasons.put(valid.replaceFirst("\"runId\":\"[^\"]*\",?", ""), "MISSING_FIELD");
        reasons.put(valid.replaceFirst("\"eventTime\":\"[^\"]*\"", "\"eventTime\":\"yesterday\""), "BAD_EVENT_TIME");
        // Valid for us, refused by Marquez: a known facet without _producer (422), a facet of the wrong shape (500 code 400).
        reasons.put(valid.replaceFirst("\"_producer\":\"[^\"]*\",", ""), "SINK_REJECTED:HTTP 422");
        reasons.put(valid.replaceFirst("\"nominalStartTime\":\"[^\"]*\"", "\"nominalStartTime\":\"2026-11-20\""), "SINK_REJECTED:HTTP 500");
        for (String value : reasons.keySet()) {
            kafka.send(topic, "run:airflow-prod/dag".getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
        }
        kafka.send(topic, "run:airflow-prod/dag".getBytes(StandardCharsets.UTF_8), valid.getBytes(StandardCharsets.UTF_8));
        kafka.flush();

        ConsumerRuntime consumer = startConsumer(kafka, topic, Map.of());

        List<ConsumerRecord<byte[], byte[]>> dead = kafka.read(topic + "-lineage-dlq", 5, Duration.ofSeconds(60));
        assertThat(dead).hasSize(5);
        Map<String, String> byValue = dead.stream().collect(Collectors.toMap(
                r -> new String(r.value(), StandardCharsets.UTF_8),
                r -> TestKafka.header(r, DeadLetters.HEADER_REASON) + (r.headers().lastHeader(DeadLetters.HEADER_SINK_STATUS) == null
                        ? "" : ":" + TestKafka.header(r, DeadLetters.HEADER_SINK_STATUS).substring(0, 8))));
        assertThat(byValue).isEqualTo(reasons);
        for (ConsumerRecord<byte[], byte[]> record : dead) {
            assertThat(TestKafka.header(record, "__streams.errors.topic")).isEqualTo(topic);
            assertThat(TestKafka.header(record, "__streams.errors.offset")).isNotBlank();
            assertThat(TestKafka.header(record, "__streams.errors.message")).isNotBlank();
            assertThat(TestKafka.header(record, DeadLetters.HEADER_CONSUMER)).isEqualTo("lineage");
        }
        Await.until(Duration.ofSeconds(30), () -> marquez.received().size() == 1, () -> "the valid event delivered");
        awaitCommitted(kafka, consumer, topic);
    }

    @Test
    void marquezDownForTenSecondsLosesAndDeadLettersNothing(TestKafka kafka) throws Exception {
        String topic = kafka.newTopic("openlineage-events", 4);
        ConsumerRuntime consumer = startConsumer(kafka, topic, Map.of());
        Await.until(Duration.ofSeconds(60), () -> consumer.state().isRunningOrRebalancing()
                && consumer.state() == org.apache.kafka.streams.KafkaStreams.State.RUNNING, () -> "consumer running");
        marquez.refuseConnections();

        List<UUID> runs = RunCorpus.publish(kafka, topic, 30);
        Thread.sleep(10_000);

        assertThat(marquez.received()).isEmpty();
        assertThat(kafka.lag(applicationId(consumer), topic)).as("no progress while Marquez is down").isEqualTo(90);
        assertThat(AdminPort.health(consumer, "live")).as("a sink outage never fails liveness").isEqualTo(200);
        marquez.recover();

        Await.until(Duration.ofSeconds(60), () -> marquez.received().size() >= 90,
                () -> marquez.received().size() + " of 90 delivered after recovery");
        assertEveryRunInLifecycleOrder(runs, marquez.received());
        assertThat(kafka.read(topic + "-lineage-dlq", 1, Duration.ofSeconds(1))).isEmpty();
        awaitCommitted(kafka, consumer, topic);
        assertThat(AdminPort.metrics(consumer)).containsPattern("lineagehub_retries_total\\{consumer=\"lineage\"[^}]*} [1-9]");
    }

    @Test
    void metricsAndHealthExposeDeliveriesDeadLettersRetriesAndLag(TestKafka kafka) throws Exception {
        String topic = kafka.newTopic("openlineage-events", 1);
        marquez.failWith(503, "0", "{\"code\":503}");
        kafka.send(topic, null, "{oops".getBytes(StandardCharsets.UTF_8));
        RunCorpus.publish(kafka, topic, 2);

        ConsumerRuntime consumer = startConsumer(kafka, topic, Map.of());
        Await.until(Duration.ofSeconds(60), () -> marquez.answered(503) >= 3, () -> "retries while Marquez answers 503");
        marquez.recover();
        Await.until(Duration.ofSeconds(60), () -> marquez.received().size() == 6, () -> "all events delivered");
        awaitCommitted(kafka, consumer, topic);

        String metrics = AdminPort.metrics(consumer);
        assertThat(metrics).containsPattern("lineagehub_delivered_total\\{consumer=\"lineage\"[^}]*} 6\\.0")
                .containsPattern("lineagehub_dead_lettered_total\\{consumer=\"lineage\",reason=\"NOT_JSON\"} 1\\.0")
                .containsPattern("lineagehub_retries_total\\{consumer=\"lineage\"[^}]*} [1-9]")
                .contains("lineagehub_delivery_seconds_bucket{consumer=\"lineage\"")
                .contains("kafka_consumer_fetch_manager_records_lag")
                .contains("jvm_memory_used_bytes");
        // Every consumer series the alerts and the dashboard query is one the consumer exposes, tagged with the consumer
        // (ingest-api's own, lineagehub_ingest_*, are checked against its /metrics in its module).
        for (String file : List.of("../deploy/prometheus/alerts.yml", "../deploy/base/grafana/lineage-hub.json")) {
            java.util.regex.Matcher queried = java.util.regex.Pattern.compile("(lineagehub_(?!ingest_)|kafka_stream_|kafka_consumer_)[a-z_]+")
                    .matcher(java.nio.file.Files.readString(java.nio.file.Path.of(file)));
            while (queried.find()) {
                assertThat(metrics).as("%s queries %s", file, queried.group())
                        .containsPattern(java.util.regex.Pattern.quote(queried.group()) + "\\{[^}]*consumer=\"lineage\"");
            }
        }
        assertThat(AdminPort.health(consumer, "ready")).isEqualTo(200);
        assertThat(AdminPort.health(consumer, "live")).isEqualTo(200);
        consumer.close();
        assertThat(consumer.state()).isEqualTo(org.apache.kafka.streams.KafkaStreams.State.NOT_RUNNING);
    }

    private ConsumerRuntime startConsumer(TestKafka kafka, String topic, Map<String, String> extra) {
        ConsumerRuntime consumer = ConsumerRuntime.start(new LineageConsumer(), env(kafka, topic, extra));
        running.add(consumer);
        return consumer;
    }

    private Map<String, String> env(TestKafka kafka, String topic, Map<String, String> extra) {
        Map<String, String> env = TestEnv.forConsumer(new LineageConsumer(), kafka, "lineage-it-" + topic);
        env.put("LINEAGEHUB_LINEAGE_TOPIC", topic);
        env.put("LINEAGEHUB_LINEAGE_URL", marquez.url());
        env.put("LINEAGEHUB_LINEAGE_KAFKA_SESSION_TIMEOUT_MS", "6000");
        env.put("LINEAGEHUB_LINEAGE_KAFKA_HEARTBEAT_INTERVAL_MS", "1000");
        env.putAll(extra);
        return env;
    }

    private static void assertEveryRunInLifecycleOrder(List<UUID> runs, List<MarquezDouble.Received> received) {
        Map<String, List<String>> byRun = new HashMap<>();
        received.forEach(r -> byRun.computeIfAbsent(r.runId(), k -> new ArrayList<>()).add(r.eventType()));
        for (UUID run : runs) {
            assertThat(byRun.get(run.toString())).as("events of run %s in arrival order", run)
                    .containsExactly("START", "RUNNING", "COMPLETE");
        }
    }

    private static void awaitCommitted(TestKafka kafka, ConsumerRuntime consumer, String topic) {
        Await.until(Duration.ofSeconds(30), () -> kafka.lag(applicationId(consumer), topic) == 0, () -> "offsets committed");
    }

    private static String applicationId(ConsumerRuntime consumer) {
        return consumer.applicationId();
    }

    private static String json(Object event) {
        return new String(SampleEvents.json(event), StandardCharsets.UTF_8);
    }
}
