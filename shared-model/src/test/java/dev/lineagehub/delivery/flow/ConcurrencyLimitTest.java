package dev.lineagehub.delivery.flow;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

class ConcurrencyLimitTest {

    private static final long MS = 1_000_000L;

    private final AtomicLong clock = new AtomicLong();
    private final ConcurrencyLimit limit = new ConcurrencyLimit(clock::get);

    /**
     * A sink like Marquez: {@code cores} calls are worked on at once, each taking {@code serviceMs};
     * more calls share the cores, so every call takes longer (processor sharing). Runs rounds of as
     * many calls as the limit allows, each answered after the latency that concurrency gives.
     */
    private void runAgainst(int cores, long serviceMs, int rounds) {
        for (int round = 0; round < rounds; round++) {
            int inFlight = limit.current();
            round(serviceMs * MS * Math.max(cores, inFlight) / cores);
        }
    }

    /** As many calls as the limit allows, all answered after {@code latency}; returns how many. */
    private int round(long latency) {
        int inFlight = limit.current();
        clock.addAndGet(latency);
        for (int call = 0; call < inFlight; call++) {
            limit.answered(latency, inFlight);
        }
        return inFlight;
    }

    @Test
    void growsQuicklyWhileTheSinkAnswersAsFastAsUnloadedUpToTheMaximum() {
        limit.maximum(128);
        runAgainst(1_000, 5, 400);
        assertThat(limit.current()).isEqualTo(128);
        assertThat(limit.unloadedLatency()).isEqualTo(Duration.ofMillis(5));
    }

    @Test
    void settlesWhereCallsStartQueueingAtTheSink() {
        limit.maximum(128);
        runAgainst(8, 40, 2_000);
        // 8 calls keep the sink busy; up to 1.5 times that, calls wait at most half their service time.
        int[] seen = new int[200];
        for (int i = 0; i < seen.length; i++) {
            runAgainst(8, 40, 1);
            seen[i] = limit.current();
        }
        assertThat(java.util.Arrays.stream(seen).boxed().toList()).allSatisfy(current -> assertThat(current).isBetween(4, 14));
        assertThat(java.util.Arrays.stream(seen).average().orElseThrow()).isBetween(7.0, 13.0);
    }

    @Test
    void anOverloadHalvesTheLimitOnceASecondAndAnOutageIsForgottenOnRecovery() {
        limit.maximum(64);
        runAgainst(1_000, 5, 400);
        assertThat(limit.current()).isEqualTo(64);
        limit.overloaded();
        limit.overloaded();
        limit.overloaded();
        assertThat(limit.current()).as("a burst of timeouts is one signal").isEqualTo(32);
        clock.addAndGet(1_100 * MS);
        limit.overloaded();
        assertThat(limit.current()).isEqualTo(16);
        limit.recovered();
        assertThat(limit.current()).as("503s on the way into an outage were not load").isEqualTo(64);

        clock.addAndGet(1_100 * MS);
        limit.overloaded();
        limit.answered(5 * MS, 1);
        limit.recovered();
        assertThat(limit.current()).as("answered after the overload: it was load, the limit stays down").isEqualTo(32);
    }

    @Test
    void aSinkThatBecameSlowerIsMeasuredAgainByTheProbeInsteadOfStarvingTheLimit() {
        limit.maximum(128);
        runAgainst(8, 10, 500);
        int before = limit.current();
        // From now on every call takes four times as long at the same concurrency (a bigger database, say).
        runAgainst(8, 40, 2_000);
        assertThat(limit.unloadedLatency()).isGreaterThanOrEqualTo(Duration.ofMillis(40));
        assertThat(limit.current()).as("still using the sink's cores, not starved to 1").isBetween(4, 14);
        assertThat(before).isBetween(4, 14);
    }

    @Test
    void theProbeHalvesTheLimitForOneWindowEveryThirtySeconds() {
        limit.maximum(64);
        runAgainst(1_000, 5, 400);
        assertThat(limit.current()).isEqualTo(64);
        clock.addAndGet(ConcurrencyLimit.PROBE_INTERVAL.toNanos());
        // The window that ends after the probe interval starts the probe.
        runAgainst(1_000, 5, 1);
        assertThat(limit.current()).as("probing").isEqualTo(32);
        long probeStarted = clock.get();
        while (limit.current() == 32) {
            runAgainst(1_000, 5, 1);
        }
        assertThat(limit.current()).as("probe over").isEqualTo(64);
        // One window, after one unloaded latency for the sink to drain the old limit's queue.
        assertThat(Duration.ofNanos(clock.get() - probeStarted)).isBetween(ConcurrencyLimit.MIN_WINDOW_SPAN,
                ConcurrencyLimit.MIN_WINDOW_SPAN.plusMillis(15));
    }

    @Test
    void latencyThatVariesWithoutLoadIsNotTakenForQueueing() {
        limit.maximum(64);
        java.util.Random random = new java.util.Random(7);
        for (int round = 0; round < 3_000; round++) {
            int inFlight = limit.current();
            for (int call = 0; call < inFlight; call++) {
                // 5 to 15 ms whatever the load, and one event in fifty forty times bigger (a 2 MB event, say).
                long latency = (random.nextInt(50) == 0 ? 400 : 5 + random.nextInt(11)) * MS;
                clock.addAndGet(latency / inFlight);
                limit.answered(latency, inFlight);
            }
        }
        assertThat(limit.current()).isGreaterThanOrEqualTo(32);
    }

    @Test
    void callsStartedBeforeTheLimitChangedDoNotJudgeTheNewLimit() {
        limit.maximum(64);
        runAgainst(1_000, 5, 400);
        clock.addAndGet(1_100 * MS);
        limit.overloaded();
        assertThat(limit.current()).isEqualTo(32);
        // Slow answers to calls made at the old limit: they must not shrink the new one again.
        for (int i = 0; i < 64; i++) {
            limit.answered(500 * MS, 64);
        }
        assertThat(limit.current()).isEqualTo(32);
    }

    @Test
    void aFewMillisecondsMoreThanUnloadedAreTheClientsOwnLoadNotQueueing() {
        limit.maximum(128);
        runAgainst(1_000, 5, 20);
        // A 5 ms sink with room to spare, answering 3 ms later once the client's busy host delays its reads.
        for (int round = 0; round < 500; round++) {
            round(8 * MS);
        }
        assertThat(limit.current()).isEqualTo(128);
    }

    @Test
    void aBusyHostDelaysSomeAnswersNotAllAndIsNotTakenForQueueing() {
        limit.maximum(128);
        runAgainst(1_000, 5, 20);
        java.util.Random random = new java.util.Random(11);
        // A 5 ms sink sharing a saturated host (the 5 ms benchmark): two answers in three wait 1 to 15 ms more for a
        // CPU, so the median is about 13 ms, while the faster quarter still comes back in 5 to 6 ms.
        for (int round = 0; round < 500; round++) {
            int inFlight = limit.current();
            clock.addAndGet(10 * MS);
            for (int call = 0; call < inFlight; call++) {
                long latency = (5 + (random.nextInt(3) == 0 ? random.nextInt(2) : 1 + random.nextInt(15))) * MS;
                limit.answered(latency, inFlight);
            }
        }
        assertThat(limit.current()).isEqualTo(128);
    }

    @Test
    void aPauseThatDelaysEveryCallInFlightForAMomentIsNotQueueing() {
        limit.maximum(32);
        runAgainst(1_000, 5, 400);
        assertThat(limit.current()).isEqualTo(32);
        int lowest = 32;
        // A 5 ms sink with room to spare; about every 200 ms a pause (a young collection in the client or the sink)
        // delays all 32 calls in flight, twice in a row: for a moment the faster quarter is late too.
        for (int round = 0; round < 3_000; round++) {
            round((round % 30 >= 28 ? 25 : 5) * MS);
            lowest = Math.min(lowest, limit.current());
        }
        assertThat(lowest).isEqualTo(32);
    }

    @Test
    void latencyThatFewerCallsDoNotLowerIsNotQueueingAndTheLimitIsRestored() {
        limit.maximum(32);
        runAgainst(1_000, 5, 400);
        assertThat(limit.current()).isEqualTo(32);
        // For ten seconds every call takes 15 ms however many are in flight (the host both share is busy): a
        // shrink then only lowers the calls answered a second, and is undone.
        double sum = 0;
        int rounds = 0;
        for (long start = clock.get(); clock.get() - start < 10_000 * MS; rounds++) {
            sum += round(15 * MS);
        }
        assertThat(sum / rounds).isGreaterThan(30.0);
        assertThat(limit.current()).isEqualTo(32);
    }

    @Test
    void aSinkThatQueuesDelaysEveryAnswerAndBoundsTheLimitWhateverTheEventSizes() {
        limit.maximum(128);
        java.util.Random random = new java.util.Random(13);
        int[] seen = new int[3_000];
        for (int round = 0; round < seen.length; round++) {
            // 8 calls at once, 40 ms each for an average event, from half to one and a half times that by size.
            int inFlight = limit.current();
            clock.addAndGet(40 * MS * Math.max(8, inFlight) / 8);
            for (int call = 0; call < inFlight; call++) {
                long service = (20 + random.nextInt(41)) * MS;
                limit.answered(service * Math.max(8, inFlight) / 8, inFlight);
            }
            seen[round] = limit.current();
        }
        assertThat(java.util.Arrays.stream(seen).skip(1_000).average().orElseThrow()).isBetween(6.0, 14.0);
    }

    @Test
    void aFastSinkThatQueuesStillBoundsTheLimit() {
        limit.maximum(128);
        runAgainst(8, 5, 3_000);
        // Queueing past the noise floor means more than twice the 8 calls the sink works on at once.
        assertThat(limit.current()).isBetween(8, 24);
    }
}
