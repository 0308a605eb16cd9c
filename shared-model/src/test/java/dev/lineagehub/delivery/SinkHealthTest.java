package dev.lineagehub.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

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
                Duration.ofMillis(200));
        for (int i = 0; i < SinkHealth.FAILURES_TO_DOWN; i++) {
            hanging.failed("timeout");
        }
        hanging.whenUp().get(3, TimeUnit.SECONDS);
        assertThat(asked.get()).as("the hung probe, then one that answered").isEqualTo(2);
    }
}
