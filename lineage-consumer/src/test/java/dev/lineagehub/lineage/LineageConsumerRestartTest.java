package dev.lineagehub.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lineagehub.runtime.ConsumerRuntime;
import dev.lineagehub.testing.AdminPort;
import dev.lineagehub.testing.Await;
import dev.lineagehub.testing.BrokerProcess;
import dev.lineagehub.testing.ConsumerProcess;
import dev.lineagehub.testing.TestEnv;
import dev.lineagehub.testing.TestKafka;

import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Processes dying and coming back: the Kafka broker (a separate JVM, killed and restarted with its
 * data) and consumer instances (separate JVMs, {@code kill -9} and {@code SIGTERM}). Every event is
 * counted by id; a replay after a crash may deliver an event twice, but never lose one, never deliver a
 * run's events first out of order, and always leave the run in its last state.
 */
class LineageConsumerRestartTest {

    private static BrokerProcess broker;
    private final List<AutoCloseable> running = new ArrayList<>();
    private MarquezDouble marquez;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = BrokerProcess.start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        broker.close();
    }

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
    void aBrokerDownForThirtySecondsFailsReadinessAndLosesNothing() throws Exception {
        TestKafka kafka = broker.kafka();
        String topic = kafka.newTopic("openlineage-events", 4);
        ConsumerRuntime first = startInProcess(topic);
        ConsumerRuntime second = startInProcess(topic);
        Await.until(Duration.ofSeconds(60), () -> first.state() == KafkaStreams.State.RUNNING
                && second.state() == KafkaStreams.State.RUNNING, () -> "instances running");
        List<UUID> runs = RunCorpus.publish(kafka, topic, 100);
        Await.until(Duration.ofSeconds(30), () -> marquez.received().size() >= 100, () -> "delivering before the broker stops");

        broker.kill();
        long killedAt = System.nanoTime();
        Await.until(Duration.ofSeconds(20), () -> AdminPort.health(first, "ready") == 503 && AdminPort.health(second, "ready") == 503,
                () -> "readiness failing while the broker is unreachable");
        assertThat(AdminPort.health(first, "live")).as("an unreachable broker is not a reason to restart the pod").isEqualTo(200);
        Thread.sleep(Math.max(0, Duration.ofSeconds(30).toMillis() - Duration.ofNanos(System.nanoTime() - killedAt).toMillis()));
        broker.restart();
        runs.addAll(RunCorpus.publish(kafka, topic, 100));

        Await.until(Duration.ofSeconds(120), () -> RunCorpus.distinct(marquez.received()).size() == 600,
                () -> RunCorpus.distinct(marquez.received()).size() + " of 600 delivered after the broker came back");
        assertThat(RunCorpus.distinct(marquez.received())).isEqualTo(RunCorpus.expected(runs));
        assertThat(RunCorpus.firstArrivalOrderViolations(marquez.received())).isZero();
        assertThat(RunCorpus.finalStateViolations(marquez.received())).isZero();
        assertThat(kafka.read(topic + "-lineage-dlq", 1, Duration.ofSeconds(1))).as("nothing dead-lettered").isEmpty();
        Await.until(Duration.ofSeconds(30), () -> AdminPort.health(first, "ready") == 200 && AdminPort.health(second, "ready") == 200,
                () -> "ready again");
        Await.until(Duration.ofSeconds(30), () -> kafka.lag(first.applicationId(), topic) == 0, () -> "all committed");
    }

    @Test
    void instancesKilledAndStoppedUnderLoadLoseNothingAndKeepRunOrder() throws Exception {
        TestKafka kafka = broker.kafka();
        String topic = kafka.newTopic("openlineage-events", 6);
        marquez.latency(Duration.ofMillis(5));
        List<UUID> runs = RunCorpus.publish(kafka, topic, 300);
        Map<String, String> env = env(topic);
        ConsumerProcess first = startProcess(env);
        ConsumerProcess second = startProcess(env);
        ConsumerProcess third = startProcess(env);
        Await.until(Duration.ofSeconds(60), () -> marquez.received().size() >= 200, () -> "instances delivering");

        first.kill();
        Await.until(Duration.ofSeconds(60), () -> marquez.received().size() >= 450, () -> "delivering after kill -9");
        // 143 = 128 + SIGTERM: what every JVM returns when stopped by a signal, after its shutdown hooks ran.
        assertThat(second.stop()).as("SIGTERM: a graceful stop").isEqualTo(143);
        assertThat(second.output()).contains("lineage consumer stopped cleanly");
        runs.addAll(RunCorpus.publish(kafka, topic, 100));

        Await.until(Duration.ofSeconds(120), () -> RunCorpus.distinct(marquez.received()).size() == 1200,
                () -> RunCorpus.distinct(marquez.received()).size() + " of 1200 delivered");
        assertThat(RunCorpus.distinct(marquez.received())).isEqualTo(RunCorpus.expected(runs));
        assertThat(RunCorpus.firstArrivalOrderViolations(marquez.received())).isZero();
        assertThat(RunCorpus.finalStateViolations(marquez.received())).isZero();
        assertThat(kafka.read(topic + "-lineage-dlq", 1, Duration.ofSeconds(1))).as("nothing dead-lettered").isEmpty();
        assertThat(second.output()).doesNotContain("Dead-lettering");
        Await.until(Duration.ofSeconds(30), () -> kafka.lag("lineage-restart-" + topic, topic) == 0, () -> "all committed");
        assertThat(third.isAlive()).isTrue();
    }

    private Map<String, String> env(String topic) {
        Map<String, String> env = TestEnv.forConsumer(new LineageConsumer(), broker.kafka(), "lineage-restart-" + topic);
        env.put("LINEAGEHUB_LINEAGE_TOPIC", topic);
        env.put("LINEAGEHUB_LINEAGE_URL", marquez.url());
        env.put("LINEAGEHUB_LINEAGE_KAFKA_SESSION_TIMEOUT_MS", "6000");
        env.put("LINEAGEHUB_LINEAGE_KAFKA_HEARTBEAT_INTERVAL_MS", "1000");
        return env;
    }

    private ConsumerRuntime startInProcess(String topic) {
        ConsumerRuntime consumer = ConsumerRuntime.start(new LineageConsumer(), env(topic));
        running.add(consumer);
        return consumer;
    }

    private ConsumerProcess startProcess(Map<String, String> env) throws Exception {
        ConsumerProcess process = ConsumerProcess.start(LineageConsumer.class, env, "256m");
        running.add(process);
        return process;
    }
}
