package dev.lineagehub.openlineage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lineagehub.delivery.deadletter.DeadLetters;
import dev.lineagehub.delivery.PermanentDeliveryException;
import dev.lineagehub.testing.SampleEvents;
import dev.lineagehub.testing.TestRuntimeContext;

import io.openlineage.client.OpenLineage.RunEvent.EventType;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

class OpenLineageTopologyTest {

    private static final String TOPIC = "openlineage-events";

    private final TestRuntimeContext context = new TestRuntimeContext();
    private final List<OpenLineageEvent> delivered = new CopyOnWriteArrayList<>();
    private TopologyTestDriver driver;

    @AfterEach
    void close() throws Exception {
        driver.close();
        context.close();
    }

    @Test
    void validEventsReachTheSinkAndInvalidOnesTheDeadLetterTopic() {
        start("", "", event -> {
            delivered.add(event);
            return CompletableFuture.completedFuture(null);
        });
        UUID run = UUID.randomUUID();
        TestInputTopic<byte[], byte[]> input = input();

        input.pipeInput(key("run:airflow-prod/orders_daily"), SampleEvents.json(
                SampleEvents.airflowTask(EventType.START, run, UUID.randomUUID(), "orders_daily", "load")));
        RecordHeaders headers = new RecordHeaders();
        headers.add("traceparent", "00-abc-def-01".getBytes(StandardCharsets.UTF_8));
        input.pipeInput(new TestRecord<>(key("run:x/y"), "{\"eventTime\":\"yesterday\"".getBytes(StandardCharsets.UTF_8), headers));
        input.pipeInput(key("run:x/y"), "{\"producer\":\"p\",\"eventTime\":\"2026-11-20T06:00:00Z\",\"run\":{},\"job\":{\"namespace\":\"n\"}}"
                .getBytes(StandardCharsets.UTF_8));
        input.pipeInput(key("run:x/deep"), ("{\"a\":" + "[".repeat(1500) + "]".repeat(1500) + "}").getBytes(StandardCharsets.UTF_8));
        await(() -> context.deadLetterProducer().history().size() == 3 && delivered.size() == 1);

        assertThat(delivered).extracting(e -> e.runId().orElseThrow()).containsExactly(run.toString());
        List<ProducerRecord<byte[], byte[]>> dead = context.deadLetterProducer().history().stream()
                .sorted(java.util.Comparator.comparing(r -> header(r, "__streams.errors.offset"))).toList();
        assertThat(dead).hasSize(3);
        assertThat(header(dead.get(0), DeadLetters.HEADER_REASON)).isEqualTo("NOT_JSON");
        assertThat(header(dead.get(0), "__streams.errors.offset")).isEqualTo("1");
        assertThat(header(dead.get(0), "__streams.errors.exception")).isEqualTo(InvalidEventException.class.getName());
        assertThat(header(dead.get(0), "traceparent")).as("original headers are kept").isEqualTo("00-abc-def-01");
        assertThat(new String(dead.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("run:x/y");
        assertThat(dead.get(0).topic()).isEqualTo(TOPIC + "-test-dlq");
        assertThat(header(dead.get(1), DeadLetters.HEADER_REASON)).isEqualTo("MISSING_FIELD");
        assertThat(header(dead.get(1), "__streams.errors.message")).contains("run.runId", "job.name");
        assertThat(header(dead.get(2), DeadLetters.HEADER_REASON)).as("JSON nested beyond 1000 levels").isEqualTo("TOO_DEEP");
        assertThat(context.registry().get("lineagehub.dead_lettered").tag("reason", "MISSING_FIELD").counter().count()).isEqualTo(1);
        // A record resolves once the broker acknowledged its dead letter, on a callback after the send the history shows.
        await(() -> context.offsets().trackers().values().stream().allMatch(t -> t.unresolvedCount() == 0));
        assertThat(context.offsets().trackers().values()).allSatisfy(t -> assertThat(t.unresolvedCount()).isZero());
    }

    @Test
    void filteredNamespacesAreCountedNotDeadLettered() {
        start("airflow-.*", "", event -> {
            delivered.add(event);
            return CompletableFuture.completedFuture(null);
        });

        input().pipeInput(key("k"), SampleEvents.json(SampleEvents.sparkJob(EventType.START, UUID.randomUUID(), "app")));
        input().pipeInput(key("k"), SampleEvents.json(
                SampleEvents.airflowTask(EventType.START, UUID.randomUUID(), UUID.randomUUID(), "dag", "task")));
        await(() -> delivered.size() == 1);

        assertThat(delivered).extracting(OpenLineageEvent::namespace).containsExactly("airflow-prod");
        assertThat(context.registry().get("lineagehub.filtered").counter().count()).isEqualTo(1);
        assertThat(context.deadLetterProducer().history()).isEmpty();
    }

    @Test
    void recordsTheSinkRefusesAreDeadLetteredWithTheSinkStatus() {
        start("", "", event -> CompletableFuture.failedFuture(
                new PermanentDeliveryException("Marquez refused the record", "HTTP 422: {\"errors\":[\"job must not be null\"]}")));

        input().pipeInput(key("k"), SampleEvents.json(SampleEvents.dbtModel(EventType.COMPLETE, UUID.randomUUID(), UUID.randomUUID(), "m")));
        await(() -> !context.deadLetterProducer().history().isEmpty());

        var dead = context.deadLetterProducer().history().get(0);
        assertThat(dead.topic()).isEqualTo(TOPIC + "-test-dlq");
        assertThat(new String(dead.headers().lastHeader(DeadLetters.HEADER_SINK_STATUS).value(), StandardCharsets.UTF_8))
                .contains("422", "job must not be null");
    }

    private void start(String include, String exclude, dev.lineagehub.delivery.Sink<OpenLineageEvent> sink) {
        OpenLineageSettings settings = new OpenLineageSettings(TOPIC, NamespaceFilter.of(include, exclude), 4, OrderBy.KEY, false);
        driver = new TopologyTestDriver(OpenLineageTopology.build(settings, "test sink", sink, context), context.streamsProperties());
    }

    private TestInputTopic<byte[], byte[]> input() {
        return driver.createInputTopic(TOPIC, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static byte[] key(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }

    private static String header(ProducerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static void await(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 5 s");
            }
            Thread.onSpinWait();
        }
    }
}
