package dev.lineagehub.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lineagehub.runtime.ConsumerRuntime;
import dev.lineagehub.testing.Await;
import dev.lineagehub.testing.RealKafka;
import dev.lineagehub.testing.TestEnv;
import dev.lineagehub.testing.TestKafka;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What a stop means to the group, on a real broker: a static member (group.instance.id, as the
 * StatefulSets set it) restarted within session.timeout.ms takes its partitions back and nobody else
 * rebalances; a dynamic member leaves at once, so that its partitions move without waiting for the timeout.
 */
@ExtendWith(RealKafka.class)
class GroupMembershipTest {

    private static final String SESSION_TIMEOUT_MS = "30000";

    private final List<ConsumerRuntime> running = new ArrayList<>();
    private final ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor();
    private MarquezDouble marquez;

    @BeforeEach
    void startMarquez() throws Exception {
        marquez = new MarquezDouble();
    }

    @AfterEach
    void stopEverything() {
        watcher.shutdownNow();
        running.forEach(ConsumerRuntime::close);
        marquez.close();
    }

    @Test
    void aStaticMemberRestartedWithinTheSessionTimeoutTakesItsPartitionsBackWithoutARebalance(TestKafka kafka) throws Exception {
        String topic = kafka.newTopic("openlineage-events", 4);
        String group = "static-" + topic;
        ConsumerRuntime first = start(kafka, topic, group, "lineage-0");
        ConsumerRuntime second = start(kafka, topic, group, "lineage-1");
        Map<String, Set<TopicPartition>> before = awaitBalanced(kafka, group);
        List<UUID> runs = RunCorpus.publish(kafka, topic, 20);
        Await.until(Duration.ofSeconds(60), () -> RunCorpus.distinct(marquez.received()).size() == 60, () -> "delivering before the restart");
        String survivor = before.keySet().stream().filter(id -> id.startsWith("lineage-1")).findFirst().orElseThrow();

        ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
        watcher.scheduleWithFixedDelay(() -> {
            Set<TopicPartition> held = kafka.assignments(group).get(survivor);
            if (!before.get(survivor).equals(held) || second.state() != KafkaStreams.State.RUNNING) {
                seen.add(second.state() + " holding " + held);
            }
        }, 0, 50, TimeUnit.MILLISECONDS);
        running.remove(first);
        first.close();
        runs.addAll(RunCorpus.publish(kafka, topic, 20));
        ConsumerRuntime restarted = start(kafka, topic, group, "lineage-0");

        Await.until(Duration.ofSeconds(60), () -> RunCorpus.distinct(marquez.received()).size() == 120,
                () -> RunCorpus.distinct(marquez.received()).size() + " of 120 events delivered after the restart");
        assertThat(RunCorpus.distinct(marquez.received())).isEqualTo(RunCorpus.expected(runs));
        assertThat(kafka.assignments(group)).as("the restarted member holds its partitions again").isEqualTo(before);
        assertThat(restarted.state()).isEqualTo(KafkaStreams.State.RUNNING);
        assertThat(seen).as("the other member never rebalanced nor held other partitions").isEmpty();
    }

    @Test
    void aDynamicMemberLeavesTheGroupWhenItStops(TestKafka kafka) throws Exception {
        String topic = kafka.newTopic("openlineage-events", 4);
        String group = "dynamic-" + topic;
        ConsumerRuntime first = start(kafka, topic, group, null);
        start(kafka, topic, group, null);
        awaitBalanced(kafka, group);
        long stoppedAt = System.nanoTime();
        running.remove(first);
        first.close();

        Await.until(Duration.ofSeconds(20), () -> kafka.assignments(group).values().stream().anyMatch(held -> held.size() == 4),
                () -> "the other member holding all partitions: " + kafka.assignments(group));
        assertThat(Duration.ofNanos(System.nanoTime() - stoppedAt))
                .as("moved on the leave, not after the session timeout").isLessThan(Duration.ofMillis(Long.parseLong(SESSION_TIMEOUT_MS)));
    }

    private Map<String, Set<TopicPartition>> awaitBalanced(TestKafka kafka, String group) {
        Await.until(Duration.ofSeconds(60), () -> {
            Map<String, Set<TopicPartition>> held = kafka.assignments(group);
            return held.size() == 2 && held.values().stream().allMatch(partitions -> partitions.size() == 2)
                    && running.stream().allMatch(consumer -> consumer.state() == KafkaStreams.State.RUNNING);
        }, () -> "two members with two partitions each: " + kafka.assignments(group));
        return kafka.assignments(group);
    }

    private ConsumerRuntime start(TestKafka kafka, String topic, String group, String instanceId) {
        Map<String, String> env = TestEnv.forConsumer(new LineageConsumer(), kafka, group);
        env.put("LINEAGEHUB_LINEAGE_TOPIC", topic);
        env.put("LINEAGEHUB_LINEAGE_URL", marquez.url());
        env.put("LINEAGEHUB_LINEAGE_KAFKA_SESSION_TIMEOUT_MS", SESSION_TIMEOUT_MS);
        env.put("LINEAGEHUB_LINEAGE_KAFKA_HEARTBEAT_INTERVAL_MS", "1000");
        if (instanceId != null) {
            env.put("LINEAGEHUB_LINEAGE_KAFKA_GROUP_INSTANCE_ID", instanceId);
        }
        ConsumerRuntime consumer = ConsumerRuntime.start(new LineageConsumer(), env);
        running.add(consumer);
        return consumer;
    }
}
