package dev.lineagehub.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lineagehub.runtime.ConsumerMetrics;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

class RetryingSinkTest {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ConsumerMetrics metrics = new ConsumerMetrics(registry, "test");
    private final RetryPolicy fast = new RetryPolicy(Duration.ofMillis(1), Duration.ofMillis(5), 0);

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    @Test
    void retriesRetryableFailuresUntilDelivered() throws Exception {
        Deque<RuntimeException> failures = new ArrayDeque<>();
        failures.add(new RetryableDeliveryException("down", "connection refused"));
        failures.add(new RetryableDeliveryException("busy", "HTTP 503"));
        AtomicInteger calls = new AtomicInteger();
        Sink<String> sink = item -> {
            calls.incrementAndGet();
            RuntimeException next = failures.poll();
            return next == null ? CompletableFuture.completedFuture(null) : CompletableFuture.failedFuture(next);
        };

        DeliveryOutcome outcome = new RetryingSink<>(sink, fast, timer, metrics).deliver("a", "a", () -> false).get(5, TimeUnit.SECONDS);

        assertThat(outcome.status()).isEqualTo(DeliveryOutcome.Status.DELIVERED);
        assertThat(outcome.attempts()).isEqualTo(3);
        assertThat(calls).hasValue(3);
        assertThat(registry.get("lineagehub.test.retries").counter().count()).isEqualTo(2);
        assertThat(registry.get("lineagehub.test.delivered").counter().count()).isEqualTo(1);
    }

    @Test
    void permanentFailuresAreNotRetried() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Sink<String> sink = item -> {
            calls.incrementAndGet();
            return CompletableFuture.failedFuture(new PermanentDeliveryException("refused", "HTTP 422"));
        };

        DeliveryOutcome outcome = new RetryingSink<>(sink, fast, timer, metrics).deliver("a", "a", () -> false).get(5, TimeUnit.SECONDS);

        assertThat(outcome.status()).isEqualTo(DeliveryOutcome.Status.FAILED);
        assertThat(outcome.failure()).isInstanceOf(PermanentDeliveryException.class);
        assertThat(calls).hasValue(1);
    }

    @Test
    void unexpectedExceptionsAreFailuresNotCrashes() throws Exception {
        Sink<String> throwing = item -> {
            throw new NullPointerException("mapping bug");
        };

        DeliveryOutcome outcome = new RetryingSink<>(throwing, fast, timer, metrics).deliver("a", "a", () -> false).get(5, TimeUnit.SECONDS);

        assertThat(outcome.status()).isEqualTo(DeliveryOutcome.Status.FAILED);
        assertThat(DeadLetters.reasonOf(outcome.failure())).isEqualTo(DeadLetters.PROCESSING_ERROR);
    }

    @Test
    void givesUpAfterMaxAttemptsWithTheLastSinkStatus() throws Exception {
        Sink<String> down = item -> CompletableFuture.failedFuture(new RetryableDeliveryException("down", "HTTP 503"));
        RetryPolicy threeAttempts = new RetryPolicy(Duration.ofMillis(1), Duration.ofMillis(2), 3);

        DeliveryOutcome outcome = new RetryingSink<>(down, threeAttempts, timer, metrics).deliver("a", "a", () -> false).get(5, TimeUnit.SECONDS);

        assertThat(outcome.status()).isEqualTo(DeliveryOutcome.Status.FAILED);
        assertThat(outcome.attempts()).isEqualTo(3);
        PermanentDeliveryException failure = (PermanentDeliveryException) outcome.failure();
        assertThat(failure.reasonCode()).isEqualTo(PermanentDeliveryException.ATTEMPTS_EXHAUSTED);
        assertThat(failure.sinkStatus()).isEqualTo("HTTP 503");
    }

    @Test
    void stopsRetryingOnceAbandoned() throws Exception {
        Sink<String> down = item -> CompletableFuture.failedFuture(new RetryableDeliveryException("down", "HTTP 503"));
        AtomicInteger checks = new AtomicInteger();

        DeliveryOutcome outcome = new RetryingSink<>(down, fast, timer, metrics)
                .deliver("a", "a", () -> checks.incrementAndGet() > 2).get(5, TimeUnit.SECONDS);

        assertThat(outcome.status()).isEqualTo(DeliveryOutcome.Status.ABANDONED);
        assertThat(outcome.attempts()).isEqualTo(3);
    }
}
