package dev.lineagehub.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lineagehub.testing.RealKafka;
import dev.lineagehub.testing.TestKafka;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.Map;

/**
 * Against a Marquez double with Marquez's kind of limit (CPU-bound: 50 events/s on 4 cores, 80 ms
 * each when unloaded, longer for all when more share the cores), the adaptive consumer finds what
 * the sink can take: the throughput of the best fixed concurrency, without timeouts, re-POSTs or a
 * queue at the sink. Both runs in one test, one after the other, so that they compare on the same
 * machine.
 */
@ExtendWith(RealKafka.class)
class LineageConsumerCapacityTest {

    private static final int EVENTS_PER_SECOND = 50;
    private static final int CORES = 4;
    private static final int RUNS = 500;

    private MarquezDouble marquez;

    @BeforeEach
    void startMarquez() throws Exception {
        marquez = new MarquezDouble().capacity(EVENTS_PER_SECOND, CORES);
    }

    @AfterEach
    void stopMarquez() {
        marquez.close();
    }

    @Test
    void theAdaptiveLimitReachesTheBestFixedThroughputWithoutTimeoutsOrAQueue(TestKafka kafka) throws Exception {
        // The best fixed setting (docs/benchmarks.md): 2 calls per partition, 8 in all, twice the double's cores,
        // so that one call's gap between answer and next call never leaves a core idle.
        CapacityRun.Result fixed = deliver(kafka, Map.of("LINEAGEHUB_LINEAGE_CONCURRENCY", "fixed", "LINEAGEHUB_LINEAGE_MAX_IN_FLIGHT", "2"));
        // The defaults: up to 32 per partition, 128 in all; the sink's latency decides.
        CapacityRun.Result adaptive = deliver(kafka, Map.of());
        System.out.printf("capacity double %d events/s, %d cores: fixed %s; adaptive %s%n", EVENTS_PER_SECOND, CORES, fixed, adaptive);

        assertThat(adaptive.delivered()).isEqualTo(3 * RUNS);
        // Measured 94.9 to 96.6 % here and in CI (docs/benchmarks.md: 95.6 %); what is missing is the limit's
        // ramp-up from one call and its probe at half the limit. The bound leaves room for the machine's noise.
        assertThat(adaptive.eventsPerSecond() / fixed.eventsPerSecond()).as("adaptive %s vs best fixed %s", adaptive, fixed)
                .isGreaterThanOrEqualTo(0.92);
        assertThat(adaptive.retries()).as("timeouts or other retries").isZero();
        assertThat(adaptive.duplicates()).as("events Marquez stored twice").isZero();
        assertThat(adaptive.p99()).as("p99 at the sink, against %s unloaded", marquez.unloadedLatency())
                .isLessThanOrEqualTo(marquez.unloadedLatency().multipliedBy(2));
    }

    private CapacityRun.Result deliver(TestKafka kafka, Map<String, String> settings) throws InterruptedException {
        Map<String, String> env = new java.util.HashMap<>(settings);
        // 12 times the double's unloaded latency: any queue the consumer builds at the sink shows as timeouts.
        env.put("LINEAGEHUB_LINEAGE_REQUEST_TIMEOUT_MS", "1000");
        return CapacityRun.deliver(kafka, marquez, RUNS, env, Duration.ofSeconds(120));
    }
}
