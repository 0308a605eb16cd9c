package dev.lineagehub.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lineagehub.runtime.ConsumerRuntime;
import dev.lineagehub.testing.Await;
import dev.lineagehub.testing.RealKafka;
import dev.lineagehub.testing.TestEnv;
import dev.lineagehub.testing.TestKafka;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Against a Marquez double with Marquez's kind of limit (50 events/s, 4 at a time: 80 ms each when
 * unloaded, longer in its queue), the adaptive consumer finds what the sink can take: the throughput
 * of the best fixed concurrency, without timeouts, re-POSTs or a queue at the sink. Both runs in one
 * test, one after the other, so that they compare on the same machine.
 */
@ExtendWith(RealKafka.class)
class LineageConsumerCapacityTest {

    private static final int EVENTS_PER_SECOND = 50;
    private static final int WORKERS = 4;
    private static final int RUNS = 300;

    private MarquezDouble marquez;

    @BeforeEach
    void startMarquez() throws Exception {
        marquez = new MarquezDouble().capacity(EVENTS_PER_SECOND, WORKERS);
    }

    @AfterEach
    void stopMarquez() {
        marquez.close();
    }

    @Test
    void theAdaptiveLimitReachesTheBestFixedThroughputWithoutTimeoutsOrAQueue(TestKafka kafka) throws Exception {
        // One call per partition on 4 partitions: exactly the double's 4 workers, its full throughput.
        Result fixed = deliver(kafka, Map.of("MARQUEZ_CONCURRENCY", "fixed", "MARQUEZ_MAX_IN_FLIGHT", "1"));
        // The defaults: up to 32 per partition, 128 in all, the sink's latency decides.
        Result adaptive = deliver(kafka, Map.of());
        System.out.printf("capacity double %d events/s, %d workers: fixed %s; adaptive %s%n", EVENTS_PER_SECOND, WORKERS, fixed, adaptive);

        assertThat(adaptive.eventsPerSecond / fixed.eventsPerSecond).as("adaptive %s vs best fixed %s", adaptive, fixed)
                .isGreaterThanOrEqualTo(0.95);
        assertThat(adaptive.retries).as("timeouts or other retries").isZero();
        assertThat(adaptive.duplicates).as("events Marquez stored twice").isZero();
        assertThat(adaptive.p99).as("p99 at the sink, against %s unloaded", marquez.unloadedLatency())
                .isLessThanOrEqualTo(marquez.unloadedLatency().multipliedBy(2));
    }

    private record Result(double eventsPerSecond, double retries, long duplicates, Duration p99) {
    }

    private Result deliver(TestKafka kafka, Map<String, String> settings) {
        String topic = kafka.newTopic("openlineage-events", 4);
        List<UUID> runs = RunCorpus.publish(kafka, topic, RUNS);
        marquez.forgetReceived();
        marquez.drainWorkTimes();
        Map<String, String> env = TestEnv.forConsumer(new LineageConsumer(), kafka, "lineage-capacity-" + topic);
        env.put("MARQUEZ_TOPIC", topic);
        env.put("MARQUEZ_URL", marquez.url());
        // Scaled to the double: 12 times its unloaded latency (60 s is ~13 times real Marquez's, for a 2 MB event).
        env.put("MARQUEZ_REQUEST_TIMEOUT_MS", "1000");
        env.putAll(settings);
        try (ConsumerRuntime consumer = ConsumerRuntime.start(new LineageConsumer(), env)) {
            Await.until(Duration.ofSeconds(120), () -> RunCorpus.distinct(marquez.received()).size() == 3 * RUNS,
                    () -> RunCorpus.distinct(marquez.received()).size() + " of " + 3 * RUNS + " delivered with " + settings);
            List<MarquezDouble.Received> received = marquez.received();
            assertThat(RunCorpus.distinct(received)).isEqualTo(RunCorpus.expected(runs));
            double seconds = (received.get(received.size() - 1).atNanos() - received.get(0).atNanos()) / 1e9;
            long[] times = marquez.drainWorkTimes();
            Arrays.sort(times);
            return new Result((received.size() - 1) / seconds,
                    consumer.registry().get("lineagehub.lineage.retries").counter().count(), marquez.duplicates(),
                    Duration.ofNanos(times[(int) (times.length * 0.99)]));
        }
    }
}
