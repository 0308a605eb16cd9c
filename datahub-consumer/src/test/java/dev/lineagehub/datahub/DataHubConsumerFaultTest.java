package dev.lineagehub.datahub;

import dev.lineagehub.protocol.TransportKey;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lineagehub.delivery.deadletter.DeadLetters;
import dev.lineagehub.delivery.PermanentDeliveryException;
import dev.lineagehub.runtime.ConsumerRuntime;
import dev.lineagehub.testing.Await;
import dev.lineagehub.testing.RealKafka;
import dev.lineagehub.testing.SampleEvents;
import dev.lineagehub.testing.TestEnv;
import dev.lineagehub.testing.TestKafka;

import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineage.RunEvent.EventType;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * datahub-consumer under faults, two instances on a real broker: every OpenLineage event is counted by
 * id (its run's instance and its time) in the run events GMS accepted, and no healthy event may be
 * dead-lettered.
 */
@ExtendWith(RealKafka.class)
class DataHubConsumerFaultTest {

    private final List<ConsumerRuntime> instances = new ArrayList<>();
    private GmsDouble gms;

    @BeforeEach
    void startGms() throws Exception {
        gms = new GmsDouble();
    }

    @AfterEach
    void stopEverything() {
        instances.forEach(ConsumerRuntime::close);
        gms.close();
    }

    @Test
    void aGmsOutageLongerThanMaxPollIntervalEvictsNobodyAndLosesNothing(TestKafka kafka) throws Exception {
        String topic = kafka.newTopic("openlineage-events", 4);
        Map<String, String> settings = Map.of("LINEAGEHUB_DATAHUB_KAFKA_MAX_POLL_INTERVAL_MS", "5000");
        ConsumerRuntime first = start(kafka, topic, settings);
        ConsumerRuntime second = start(kafka, topic, settings);
        Await.until(Duration.ofSeconds(60), () -> first.state() == KafkaStreams.State.RUNNING
                && second.state() == KafkaStreams.State.RUNNING, () -> "instances running");
        gms.failWith(503, null, "{\"status\":503,\"message\":\"maintenance\"}");
        List<UUID> runs = publish(kafka, topic, 60);

        Thread.sleep(4_000);
        int refusedEarly = gms.answered(503);
        long[] states = {0};
        Thread watcher = watch(states, first, second);
        Thread.sleep(12_000);
        watcher.interrupt();
        assertThat(states[0]).as("no instance left RUNNING during a 16 s outage with max.poll.interval.ms 5 s").isZero();
        assertThat(gms.answered(503) - refusedEarly).as("one probe per instance at most each second").isLessThanOrEqualTo(2 * 14);
        assertThat(runEvents(gms.accepted())).isEmpty();

        gms.recover();
        long recoveredAt = System.nanoTime();
        Await.until(Duration.ofSeconds(5), () -> !gms.accepted().isEmpty(), () -> "first proposal after recovery");
        long firstAcceptedAfter = System.nanoTime() - recoveredAt;
        assertThat(Duration.ofNanos(firstAcceptedAfter)).isLessThan(Duration.ofSeconds(2));
        Await.until(Duration.ofSeconds(90), () -> runEvents(gms.accepted()).size() == 180,
                () -> runEvents(gms.accepted()).size() + " of 180 run events after the outage");
        assertThat(runEvents(gms.accepted())).isEqualTo(expected(runs));
        assertThat(orderViolations(gms.accepted())).isZero();
        assertThat(kafka.read(topic + "-datahub-dlq", 1, Duration.ofSeconds(1))).as("nothing dead-lettered").isEmpty();
        Await.until(Duration.ofSeconds(30), () -> kafka.lag(first.applicationId(), topic) == 0, () -> "all committed");
    }

    @Test
    void aGmsAtItsCapacityIsNotFloodedIntoTimeoutsAndResentRunEvents(TestKafka kafka) throws Exception {
        // GMS with a CPU limit: 200 proposals/s on 2 cores, 10 ms each unloaded; a 1 s timeout shows any queue.
        gms.capacity(200, 2);
        String topic = kafka.newTopic("openlineage-events", 4);
        List<UUID> runs = publish(kafka, topic, 60);
        ConsumerRuntime consumer = start(kafka, topic, Map.of("LINEAGEHUB_DATAHUB_REQUEST_TIMEOUT_MS", "1000"));

        Await.until(Duration.ofSeconds(90), () -> runEvents(gms.accepted()).size() == 180,
                () -> runEvents(gms.accepted()).size() + " of 180 run events at GMS's capacity");
        assertThat(runEvents(gms.accepted())).isEqualTo(expected(runs));
        assertThat(consumer.registry().get("lineagehub.retries").counter().count()).as("timeouts or other retries").isZero();
        long runEventProposals = gms.accepted().stream().filter(p -> p.aspectName().equals("dataProcessInstanceRunEvent")).count();
        assertThat(runEventProposals).as("no run event sent twice (each would be another point in the run's history)").isEqualTo(180);
        assertThat(orderViolations(gms.accepted())).isZero();
    }

    @Test
    void hostileRecordsAreDeadLetteredWhileEverythingElseFlows(TestKafka kafka) throws Exception {
        String topic = kafka.newTopic("openlineage-events", 2, Map.of("max.message.bytes", "3000000"));
        gms.refuseProposalsFor("always_500", 500);
        ConsumerRuntime consumer = start(kafka, topic, Map.of());
        List<UUID> runs = publish(kafka, topic, 20);
        // An unbalanced parenthesis in a name is encoded (it used to make the client's URN parsing throw).
        send(kafka, topic, SampleEvents.run(EventType.COMPLETE, UUID.randomUUID(), "airflow-prod", "dag.load(orders",
                List.of(), List.<String[]>of(new String[] {"s3://lake", "orders(2024"})));
        // A name no DataHub URN can hold: longer than GMS accepts.
        send(kafka, topic, SampleEvents.run(EventType.COMPLETE, UUID.randomUUID(), "airflow-prod", "dag.overlong",
                List.of(), List.<String[]>of(new String[] {"s3://lake", "part/".repeat(120)})));
        // GMS answers 500 for this dataset on every try while it stores everything else.
        send(kafka, topic, SampleEvents.run(EventType.COMPLETE, UUID.randomUUID(), "airflow-prod", "dag.poison",
                List.of(), List.<String[]>of(new String[] {"s3://lake", "always_500"})));
        kafka.flush();
        // Not JSON and 1 MB: dead-lettered whole, as the dead-letter topic the consumer creates holds what its input holds.
        kafka.sendLarge(topic, "run:x/y".getBytes(StandardCharsets.UTF_8), new byte[1_046_000]);
        runs.addAll(publish(kafka, topic, 20));

        List<ConsumerRecord<byte[], byte[]>> dead = kafka.read(topic + "-datahub-dlq", 3, Duration.ofSeconds(90));
        assertThat(dead).extracting(r -> TestKafka.header(r, DeadLetters.HEADER_REASON) + " " + job(r)).containsExactlyInAnyOrder(
                "INVALID_URN dag.overlong", PermanentDeliveryException.SINK_POISON + " dag.poison",
                "NOT_JSON -");
        Await.until(Duration.ofSeconds(30), () -> gms.accepted().stream().anyMatch(proposal ->
                proposal.entityUrn().equals("urn:li:dataset:(urn:li:dataPlatform:s3,lake/orders%282024,PROD)")),
                () -> "the dataset with an encoded parenthesis stored");
        Await.until(Duration.ofSeconds(60), () -> runEvents(gms.accepted()).containsAll(expected(runs)),
                () -> "every healthy event delivered");
        Await.until(Duration.ofSeconds(30), () -> kafka.lag(consumer.applicationId(), topic) == 0, () -> "all committed");
        assertThat(consumer.state()).isEqualTo(KafkaStreams.State.RUNNING);
    }

    /** The job named in a dead letter's event, "-" when it holds no event. */
    private static String job(ConsumerRecord<byte[], byte[]> deadLetter) {
        String value = new String(deadLetter.value(), StandardCharsets.UTF_8);
        return value.contains("dag.overlong") ? "dag.overlong" : value.contains("dag.poison") ? "dag.poison" : "-";
    }

    private ConsumerRuntime start(TestKafka kafka, String topic, Map<String, String> extra) {
        Map<String, String> env = TestEnv.forConsumer(new DataHubConsumer(), kafka, "datahub-fault-" + topic);
        env.put("LINEAGEHUB_DATAHUB_TOPIC", topic);
        env.put("LINEAGEHUB_DATAHUB_GMS_URL", gms.url());
        env.put("LINEAGEHUB_DATAHUB_KAFKA_SESSION_TIMEOUT_MS", "6000");
        env.put("LINEAGEHUB_DATAHUB_KAFKA_HEARTBEAT_INTERVAL_MS", "1000");
        env.putAll(extra);
        ConsumerRuntime consumer = ConsumerRuntime.start(new DataHubConsumer(), env);
        instances.add(consumer);
        return consumer;
    }

    private static List<UUID> publish(TestKafka kafka, String topic, int count) {
        List<UUID> runs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            runs.add(UUID.randomUUID());
        }
        SampleEvents.interleaved(runs).forEach(event -> send(kafka, topic, event));
        kafka.flush();
        return runs;
    }

    private static void send(TestKafka kafka, String topic, OpenLineage.RunEvent event) {
        kafka.send(topic, TransportKey.bytesOf(event), SampleEvents.json(event));
    }

    /** The run events every run should reach GMS with, by id: instance URN and event time. */
    private static Set<String> expected(List<UUID> runs) {
        Set<String> ids = new HashSet<>();
        for (UUID run : runs) {
            for (EventType type : List.of(EventType.START, EventType.RUNNING, EventType.COMPLETE)) {
                ids.add("urn:li:dataProcessInstance:" + run + "@"
                        + SampleEvents.run(type, run, "n", "j", List.of(), List.of()).getEventTime().toInstant().toEpochMilli());
            }
        }
        return ids;
    }

    private static Set<String> runEvents(List<GmsDouble.Proposal> accepted) {
        Set<String> ids = new HashSet<>();
        accepted.stream().filter(p -> p.aspectName().equals("dataProcessInstanceRunEvent"))
                .forEach(p -> ids.add(p.entityUrn() + "@" + p.value().path("timestampMillis").asLong()));
        return ids;
    }

    /** Run events that reached GMS after a later event of the same run. */
    private static long orderViolations(List<GmsDouble.Proposal> accepted) {
        Map<String, Long> latest = new HashMap<>();
        long violations = 0;
        for (GmsDouble.Proposal p : accepted) {
            if (!p.aspectName().equals("dataProcessInstanceRunEvent")) {
                continue;
            }
            long time = p.value().path("timestampMillis").asLong();
            Long seen = latest.get(p.entityUrn());
            if (seen != null && time < seen) {
                violations++;
            }
            latest.merge(p.entityUrn(), time, Math::max);
        }
        return violations;
    }

    /** Counts, in {@code left[0]}, how often any instance was seen out of RUNNING. */
    private static Thread watch(long[] left, ConsumerRuntime... consumers) {
        Thread watcher = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                for (ConsumerRuntime consumer : consumers) {
                    if (consumer.state() != KafkaStreams.State.RUNNING) {
                        left[0]++;
                    }
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "state-watcher");
        watcher.setDaemon(true);
        watcher.start();
        return watcher;
    }
}
