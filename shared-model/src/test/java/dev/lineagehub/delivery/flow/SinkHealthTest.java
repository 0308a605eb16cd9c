package dev.lineagehub.delivery.flow;

import dev.lineagehub.delivery.RetryableDeliveryException;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lineagehub.testing.Await;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

class SinkHealthTest {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final AtomicBoolean sinkUp = new AtomicBoolean();
    private final AtomicInteger probes = new AtomicInteger();
    private final SinkHealth health = new SinkHealth("test sink", () -> {
        probes.incrementAndGet();
        return sinkUp.get() ? CompletableFuture.completedFuture(null)
                : CompletableFuture.failedFuture(new RetryableDeliveryException("down", "down"));
    }, timer, Duration.ofMillis(5));

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    @Test
    void failuresInARowMarkItDownAndOneProbeBringsItBack() throws Exception {
        List<SinkHealth.State> changes = new CopyOnWriteArrayList<>();
        health.onChange(changes::add);
        health.failed("a");
        health.succeeded();
        health.failed("b");
        health.failed("c");
        assertThat(health.state()).as("an acknowledgement in between resets the count").isEqualTo(SinkHealth.State.UP);
        health.failed("d");
        assertThat(health.state()).isEqualTo(SinkHealth.State.DOWN);
        CompletableFuture<Void> up = health.whenUp();
        CompletableFuture<Void> recovery = health.nextRecovery();
        Thread.sleep(100);
        assertThat(up).isNotDone();
        assertThat(probes.get()).as("probes while down, one at a time, spaced").isBetween(2, 10);
        sinkUp.set(true);
        up.get(3, TimeUnit.SECONDS);
        assertThat(recovery).isDone();
        assertThat(health.state()).isEqualTo(SinkHealth.State.UP);
        assertThat(changes).containsExactly(SinkHealth.State.DOWN, SinkHealth.State.UP);
        assertThat(health.acknowledgements()).as("the probe's answer counts").isEqualTo(2);
        assertThat(health.whenUp()).isDone();
        assertThat(health.nextRecovery()).as("the next outage's recovery").isNotDone();
    }

    @Test
    void probesAreAtMostOneSecondApartSoRecoveryIsQuick() throws Exception {
        for (int i = 0; i < SinkHealth.FAILURES_TO_DOWN; i++) {
            health.failed("down");
        }
        Thread.sleep(1_500);
        int before = probes.get();
        sinkUp.set(true);
        long start = System.nanoTime();
        health.whenUp().get(3, TimeUnit.SECONDS);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThanOrEqualTo(1_100);
        assertThat(probes.get()).isEqualTo(before + 1);
    }

    @Test
    void aProbeThatNeverAnswersFailsAfterItsTimeoutAndTheNextOneAsks() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        SinkHealth hanging = new SinkHealth("hung sink", () -> asked.incrementAndGet() == 1
                ? new CompletableFuture<>() : CompletableFuture.completedFuture(null), timer, Duration.ofMillis(5),
                Duration.ofMillis(200), System::nanoTime);
        for (int i = 0; i < SinkHealth.FAILURES_TO_DOWN; i++) {
            hanging.failed("timeout");
        }
        hanging.whenUp().get(3, TimeUnit.SECONDS);
        assertThat(asked.get()).as("the hung probe, then one that answered").isEqualTo(2);
    }

    /**
     * A call succeeding while another one's failure marks the sink down: however the two threads
     * interleave, the last notification carries the state the sink is in, so a listener that pauses on
     * DOWN and resumes on UP never stays paused while the sink is up.
     */
    @Test
    void theLastNotificationAlwaysCarriesTheCurrentState() throws Exception {
        var threads = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 2_000; round++) {
                SinkHealth racing = new SinkHealth("racing sink", () -> new CompletableFuture<>(), timer, Duration.ofHours(1));
                AtomicReference<SinkHealth.State> lastTold = new AtomicReference<>(SinkHealth.State.UP);
                racing.onChange(lastTold::set);
                racing.failed("1");
                racing.failed("2");
                CountDownLatch go = new CountDownLatch(1);
                var failing = threads.submit(() -> {
                    go.await();
                    racing.failed("3");
                    return null;
                });
                var succeeding = threads.submit(() -> {
                    go.await();
                    racing.succeeded();
                    return null;
                });
                go.countDown();
                failing.get(5, TimeUnit.SECONDS);
                succeeding.get(5, TimeUnit.SECONDS);
                assertThat(lastTold.get()).as("round " + round).isEqualTo(racing.state());
            }
        } finally {
            threads.shutdownNow();
        }
    }

    /** A probe still in flight when the sink flips up and down again stays the only one asking. */
    @Test
    void oneProbeChainAtATimeEvenWhenTheSinkFlipsWhileAProbeIsInFlight() throws Exception {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger mostInFlight = new AtomicInteger();
        List<CompletableFuture<Void>> asked = new CopyOnWriteArrayList<>();
        SinkHealth flipping = new SinkHealth("flipping sink", () -> {
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            CompletableFuture<Void> answer = new CompletableFuture<>();
            asked.add(answer);
            return answer.whenComplete((ignored, error) -> inFlight.decrementAndGet());
        }, timer, Duration.ofMillis(1), Duration.ofSeconds(30), System::nanoTime);
        for (int i = 0; i < SinkHealth.FAILURES_TO_DOWN; i++) {
            flipping.failed("down");
        }
        Await.until(Duration.ofSeconds(5), () -> asked.size() == 1, () -> "the first probe");
        flipping.succeeded();
        for (int i = 0; i < SinkHealth.FAILURES_TO_DOWN; i++) {
            flipping.failed("down again");
        }
        assertThat(flipping.state()).isEqualTo(SinkHealth.State.DOWN);
        asked.get(0).completeExceptionally(new RetryableDeliveryException("still down", "down"));
        Await.until(Duration.ofSeconds(5), () -> asked.size() == 2, () -> "the chain's next probe");
        asked.get(1).complete(null);
        flipping.whenUp().get(5, TimeUnit.SECONDS);
        assertThat(mostInFlight.get()).isEqualTo(1);
        assertThat(asked).hasSize(2);
    }

    @Test
    void theLastFailureIsKeptForTheHealthReport() {
        health.failed("HTTP 503: Marquez \u0000 overloaded");
        assertThat(health.lastFailure()).isEqualTo("HTTP 503: Marquez \u0000 overloaded");
    }
}
