package dev.lineagehub.lineage;

import dev.lineagehub.protocol.TransportKey;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lineagehub.delivery.deadletter.DeadLetters;
import dev.lineagehub.delivery.PermanentDeliveryException;
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
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The delivery guarantees under faults, on a real broker with several consumer instances: every
 * event is counted by id (run + event type) as delivered or dead-lettered, per-run order is checked in
 * the order Marquez received the events, and no healthy event may be dead-lettered.
 */
@ExtendWith(RealKafka.class)
class LineageConsumerFaultTest {

    private final List<ConsumerRuntime> instances = new ArrayList<>();
    private MarquezDouble marquez;

    @BeforeEach
    void startMarquez() throws Exception {
        marquez = new MarquezDouble();
    }

    @AfterEach
    void stopEverything() {
        instances.forEach(ConsumerRuntime::close);
        marquez.close();
    }

    @Test
    void aSinkOutageLongerThanMaxPollIntervalEvictsNobodyAndLosesNothing(TestKafka kafka) throws Exception {
        String topic = kafka.newTopic("openlineage-events", 4);
        // Lowered from 300 s so that the outage outlasts it three times within the test.
        Map<String, String> settings = Map.of("LINEAGEHUB_LINEAGE_KAFKA_MAX_POLL_INTERVAL_MS", "5000");
        ConsumerRuntime first = start(kafka, topic, settings);
        ConsumerRuntime second = start(kafka, topic, settings);
        awaitRunning(first, second);
        marquez.failWith(503, null, "{\"code\":503,\"message\":\"maintenance\"}");
        List<UUID> runs = RunCorpus.publish(kafka, topic, 100);

        AtomicBoolean rebalanced = watchForRebalance(first, second);
        Thread.sleep(4_000);
        int refusedEarly = marquez.answered(503);
        Thread.sleep(12_000);
        int refusedDuringOutage = marquez.answered(503) - refusedEarly;
        assertThat(rebalanced).as("no member evicted during a 16 s outage with max.poll.interval.ms 5 s").isFalse();
        assertThat(refusedDuringOutage).as("one probe per instance at most each second, not a retry loop per record")
                .isLessThanOrEqualTo(2 * 14);
        assertThat(AdminPort.health(first, "ready")).as("a down sink: this instance does not do its work").isEqualTo(503);
        assertThat(AdminPort.healthBody(first, "ready")).contains("\"Marquez\":\"DOWN\"").contains("maintenance")
                .contains("\"stalledPartitions\":[]");
        assertThat(AdminPort.health(first, "live")).as("a restart cannot fix the sink").isEqualTo(200);
        assertThat(marquez.received()).isEmpty();

        marquez.recover();
        long recoveredAt = System.nanoTime();
        Await.until(Duration.ofSeconds(5), () -> !marquez.received().isEmpty(), () -> "first delivery after recovery");
        assertThat(Duration.ofNanos(marquez.received().get(0).atNanos() - recoveredAt)).isLessThan(Duration.ofSeconds(2));
        Await.until(Duration.ofSeconds(60), () -> RunCorpus.distinct(marquez.received()).size() == 300,
                () -> RunCorpus.distinct(marquez.received()).size() + " of 300 delivered after the outage");
        assertThat(rebalanced).isFalse();
        assertThat(RunCorpus.orderViolations(marquez.received())).isZero();
        assertThat(RunCorpus.distinct(marquez.received())).isEqualTo(RunCorpus.expected(runs));
        assertThat(kafka.read(topic + "-lineage-dlq", 1, Duration.ofSeconds(1))).isEmpty();
        Await.until(Duration.ofSeconds(30), () -> kafka.lag(first.applicationId(), topic) == 0, () -> "all committed");
        Await.until(Duration.ofSeconds(10), () -> AdminPort.health(first, "ready") == 200, () -> "ready once the sink is back");
    }

    @Test
    void aHungSinkIsWaitedForWithoutRebalanceAndItsDroppedRequestsAreRetried(TestKafka kafka) throws Exception {
        String topic = kafka.newTopic("openlineage-events", 4);
        // Each hung request holds one of the double's threads until the hang ends; a short timeout lets the client see it.
        Map<String, String> settings = Map.of("LINEAGEHUB_LINEAGE_REQUEST_TIMEOUT_MS", "1000", "LINEAGEHUB_LINEAGE_MAX_IN_FLIGHT", "4",
                "LINEAGEHUB_LINEAGE_KAFKA_MAX_POLL_INTERVAL_MS", "5000");
        ConsumerRuntime first = start(kafka, topic, settings);
        ConsumerRuntime second = start(kafka, topic, settings);
        awaitRunning(first, second);
        List<UUID> runs = RunCorpus.publish(kafka, topic, 50);
        Await.until(Duration.ofSeconds(30), () -> marquez.received().size() >= 30, () -> "delivering before the hang");
        marquez.hang();
        runs.addAll(RunCorpus.publish(kafka, topic, 50));

        AtomicBoolean rebalanced = watchForRebalance(first, second);
        Thread.sleep(12_000);
        assertThat(rebalanced).as("no member evicted while Marquez hangs, max.poll.interval.ms 5 s").isFalse();
        assertThat(AdminPort.health(first, "ready")).as("a hung sink whose calls time out is down: not ready").isEqualTo(503);
        marquez.endHang();

        Await.until(Duration.ofSeconds(60), () -> RunCorpus.distinct(marquez.received()).size() == 300,
                () -> RunCorpus.distinct(marquez.received()).size() + " of 300 delivered after the hang");
        assertThat(RunCorpus.distinct(marquez.received())).isEqualTo(RunCorpus.expected(runs));
        assertThat(RunCorpus.orderViolations(marquez.received())).isZero();
        assertThat(rebalanced).isFalse();
        assertThat(kafka.read(topic + "-lineage-dlq", 1, Duration.ofSeconds(1))).as("nothing healthy dead-lettered").isEmpty();
        Await.until(Duration.ofSeconds(30), () -> kafka.lag(first.applicationId(), topic) == 0, () -> "all committed");
    }

    @Test
    void aPartitionStuckOnOneRecordWhileTheSinkIsUpFailsReadinessUntilItMoves(TestKafka kafka) throws Exception {
        String topic = kafka.newTopic("openlineage-events", 2);
        ConsumerRuntime consumer = start(kafka, topic, Map.of("LINEAGEHUB_LINEAGE_STALL_TIMEOUT_MS", "3000"));
        marquez.stickRequestsContaining("stuck_task");
        OpenLineage.RunEvent stuck = SampleEvents.airflowTask(EventType.START, UUID.randomUUID(), UUID.randomUUID(), "dag_s", "stuck_task");
        kafka.send(topic, TransportKey.bytesOf(stuck), SampleEvents.json(stuck));
        List<UUID> runs = RunCorpus.publish(kafka, topic, 30);

        Await.until(Duration.ofSeconds(30), () -> RunCorpus.distinct(marquez.received()).containsAll(RunCorpus.expected(runs)),
                () -> "everything but the stuck event delivered");
        Await.until(Duration.ofSeconds(15), () -> AdminPort.health(consumer, "ready") == 503, () -> "readiness failing for the stalled partition");
        // The metric is refreshed with the broker check, every 5 s.
        Await.until(Duration.ofSeconds(15), () -> stalledPartitions(consumer).contains(1.0), () -> "partition_stalled 1");
        assertThat(stalledPartitions(consumer)).as("partition_stalled, one per partition").containsExactlyInAnyOrder(0.0, 1.0);
        assertThat(consumer.registry().get("lineagehub.sink_up").gauge().value()).as("the sink is up").isEqualTo(1.0);
        assertThat(consumer.registry().get("lineagehub.oldest_call_seconds").gauge().value())
                .as("the stuck call's age, long before its 60 s timeout").isGreaterThanOrEqualTo(3.0);

        marquez.unstick();
        Await.until(Duration.ofSeconds(15), () -> AdminPort.health(consumer, "ready") == 200, () -> "ready again once the partition moves");
        Await.until(Duration.ofSeconds(15), () -> !stalledPartitions(consumer).contains(1.0), () -> "partition_stalled back to 0");
        Await.until(Duration.ofSeconds(30), () -> kafka.lag(consumer.applicationId(), topic) == 0, () -> "all committed");
    }

    private static List<Double> stalledPartitions(ConsumerRuntime consumer) {
        return consumer.registry().find("lineagehub.partition_stalled").gauges().stream().map(g -> g.value()).toList();
    }

    @Test
    void poisonAndOversizeRecordsAreDeadLetteredWhileEverythingElseFlows(TestKafka kafka) throws Exception {
        String topic = kafka.newTopic("openlineage-events", 2, Map.of("max.message.bytes", "3000000"));
        // The dead-letter topic takes smaller records than the input topic: the broker refuses what the producer sent.
        kafka.createTopic(topic + "-lineage-dlq", 2, Map.of("max.message.bytes", "100000"));
        ConsumerRuntime consumer = start(kafka, topic, Map.of());
        List<UUID> runs = RunCorpus.publish(kafka, topic, 20);
        // Refused by Marquez on every try (PostgreSQL refuses byte 0x00) while it takes everything else.
        OpenLineage.RunEvent poison = SampleEvents.airflowTask(EventType.START, UUID.randomUUID(), UUID.randomUUID(), "dag", "t\u0000x");
        kafka.send(topic, TransportKey.bytesOf(poison), SampleEvents.json(poison));
        // Not JSON, 1 MB and 200 KB: the producer's limit follows the input topic's, the dead-letter topic's does not take them.
        kafka.sendLarge(topic, "run:x/y".getBytes(StandardCharsets.UTF_8), new byte[1_046_000]);
        kafka.send(topic, "run:x/z".getBytes(StandardCharsets.UTF_8), new byte[200_000]);
        runs.addAll(RunCorpus.publish(kafka, topic, 20));

        List<ConsumerRecord<byte[], byte[]>> dead = kafka.read(topic + "-lineage-dlq", 3, Duration.ofSeconds(90));
        assertThat(dead).extracting(r -> TestKafka.header(r, DeadLetters.HEADER_REASON) + " " + (r.headers().lastHeader(
                        DeadLetters.HEADER_ORIGINAL_REASON) == null ? "" : TestKafka.header(r, DeadLetters.HEADER_ORIGINAL_REASON)))
                .containsExactlyInAnyOrder(PermanentDeliveryException.SINK_POISON + " ", DeadLetters.RECORD_TOO_LARGE + " NOT_JSON",
                        DeadLetters.RECORD_TOO_LARGE + " NOT_JSON");
        Await.until(Duration.ofSeconds(60), () -> RunCorpus.distinct(marquez.received()).containsAll(RunCorpus.expected(runs)),
                () -> "every healthy event delivered");
        Await.until(Duration.ofSeconds(30), () -> kafka.lag(consumer.applicationId(), topic) == 0, () -> "all committed");
        assertThat(consumer.state()).isEqualTo(KafkaStreams.State.RUNNING);
        assertThat(AdminPort.health(consumer, "ready")).isEqualTo(200);
    }

    @Test
    void aDeadLetterTopicTheConsumerCreatesHoldsTheInputsLargestRecordWhole(TestKafka kafka) throws Exception {
        String topic = kafka.newTopic("openlineage-events", 1, Map.of("max.message.bytes", "3000000"));
        ConsumerRuntime consumer = start(kafka, topic, Map.of());
        byte[] largest = new byte[3_000_000 - 1_000]; // the input topic's limit, less the record's framing and key
        java.util.Arrays.fill(largest, (byte) '{');
        kafka.sendLarge(topic, "run:x/big".getBytes(StandardCharsets.UTF_8), largest);
        ConsumerRecord<byte[], byte[]> dead = kafka.read(topic + "-lineage-dlq", 1, Duration.ofSeconds(60)).get(0);
        assertThat(TestKafka.header(dead, DeadLetters.HEADER_REASON)).isEqualTo("NOT_JSON");
        assertThat(dead.value()).as("written whole, not truncated").isEqualTo(largest);
        assertThat(kafka.topicConfig(topic + "-lineage-dlq", "max.message.bytes")).isEqualTo(Integer.toString(3_000_000 + DeadLetters.HEADERS_BYTES));
        Await.until(Duration.ofSeconds(30), () -> kafka.lag(consumer.applicationId(), topic) == 0, () -> "committed");
    }

    @Test
    void instancesJoiningAndLeavingUnderLoadLoseNothingAndKeepRunOrder(TestKafka kafka) throws Exception {
        String topic = kafka.newTopic("openlineage-events", 4);
        marquez.latency(Duration.ofMillis(10));
        List<UUID> runs = RunCorpus.publish(kafka, topic, 300);
        ConsumerRuntime first = start(kafka, topic, Map.of("LINEAGEHUB_LINEAGE_MAX_IN_FLIGHT", "4"));
        Await.until(Duration.ofSeconds(60), () -> marquez.received().size() >= 150, () -> "first instance delivering");
        ConsumerRuntime second = start(kafka, topic, Map.of("LINEAGEHUB_LINEAGE_MAX_IN_FLIGHT", "4"));
        Await.until(Duration.ofSeconds(60), () -> marquez.received().size() >= 400, () -> "both instances delivering");
        ConsumerRuntime third = start(kafka, topic, Map.of("LINEAGEHUB_LINEAGE_MAX_IN_FLIGHT", "4"));
        first.close();
        Await.until(Duration.ofSeconds(120), () -> RunCorpus.distinct(marquez.received()).size() == 900,
                () -> RunCorpus.distinct(marquez.received()).size() + " of 900 distinct events delivered");
        assertThat(RunCorpus.distinct(marquez.received())).isEqualTo(RunCorpus.expected(runs));
        assertThat(RunCorpus.orderViolations(marquez.received())).as("a run's later event never before its earlier one").isZero();
        assertThat(kafka.read(topic + "-lineage-dlq", 1, Duration.ofSeconds(1))).isEmpty();
        Await.until(Duration.ofSeconds(30), () -> kafka.lag(second.applicationId(), topic) == 0, () -> "all committed");
        assertThat(third.state()).isEqualTo(KafkaStreams.State.RUNNING);
    }

    private ConsumerRuntime start(TestKafka kafka, String topic, Map<String, String> extra) {
        Map<String, String> env = TestEnv.forConsumer(new LineageConsumer(), kafka, "lineage-fault-" + topic);
        env.put("LINEAGEHUB_LINEAGE_TOPIC", topic);
        env.put("LINEAGEHUB_LINEAGE_URL", marquez.url());
        env.put("LINEAGEHUB_LINEAGE_RETRY_INITIAL_BACKOFF_MS", "50");
        env.put("LINEAGEHUB_LINEAGE_KAFKA_SESSION_TIMEOUT_MS", "6000");
        env.put("LINEAGEHUB_LINEAGE_KAFKA_HEARTBEAT_INTERVAL_MS", "1000");
        env.putAll(extra);
        ConsumerRuntime consumer = ConsumerRuntime.start(new LineageConsumer(), env);
        instances.add(consumer);
        return consumer;
    }

    /**
     * Until every instance has been RUNNING for 2 s together: a joining member's cooperative rebalance
     * takes two rounds, and between them both instances can look RUNNING for a few milliseconds.
     */
    private static void awaitRunning(ConsumerRuntime... consumers) {
        long[] allRunningSince = {0};
        Await.until(Duration.ofSeconds(60), () -> {
            if (!List.of(consumers).stream().allMatch(c -> c.state() == KafkaStreams.State.RUNNING)) {
                allRunningSince[0] = 0;
                return false;
            }
            if (allRunningSince[0] == 0) {
                allRunningSince[0] = System.nanoTime();
            }
            return System.nanoTime() - allRunningSince[0] >= Duration.ofSeconds(2).toNanos();
        }, () -> "instances running together for 2 s");
    }

    /** Watches the instances' states in the background: true once any of them left RUNNING. */
    private static AtomicBoolean watchForRebalance(ConsumerRuntime... consumers) {
        AtomicBoolean rebalanced = new AtomicBoolean();
        Thread watcher = new Thread(() -> {
            while (!rebalanced.get() && List.of(consumers).stream().allMatch(c -> c.state() == KafkaStreams.State.RUNNING
                    || c.state() == KafkaStreams.State.REBALANCING)) {
                if (List.of(consumers).stream().anyMatch(c -> c.state() == KafkaStreams.State.REBALANCING)) {
                    rebalanced.set(true);
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "rebalance-watcher");
        watcher.setDaemon(true);
        watcher.start();
        return rebalanced;
    }
}
