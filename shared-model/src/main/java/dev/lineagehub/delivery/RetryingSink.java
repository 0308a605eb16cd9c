package dev.lineagehub.delivery;

import dev.lineagehub.runtime.ConsumerMetrics;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Calls a {@link Sink} until the item is delivered or refused for good, waiting per the
 * {@link RetryPolicy} between retryable failures. The returned stage never fails: the outcome says
 * what happened.
 */
public final class RetryingSink<T> {

    private static final Logger LOG = LoggerFactory.getLogger(RetryingSink.class);
    /** While a sink is down every in-flight record retries: one warning per interval says so, the rest go to debug. */
    private static final long WARN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final Sink<T> sink;
    private final RetryPolicy policy;
    private final ScheduledExecutorService timer;
    private final ConsumerMetrics metrics;
    private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_INTERVAL_NANOS);

    public RetryingSink(Sink<T> sink, RetryPolicy policy, ScheduledExecutorService timer, ConsumerMetrics metrics) {
        this.sink = sink;
        this.policy = policy;
        this.timer = timer;
        this.metrics = metrics;
    }

    /**
     * @param label     how log lines name the item (topic-partition@offset and run)
     * @param abandoned checked before every retry; true stops retrying, e.g. once the task is closed
     */
    public CompletableFuture<DeliveryOutcome> deliver(T item, String label, BooleanSupplier abandoned) {
        CompletableFuture<DeliveryOutcome> outcome = new CompletableFuture<>();
        attempt(item, label, abandoned, 1, System.nanoTime(), outcome);
        return outcome;
    }

    private void attempt(T item, String label, BooleanSupplier abandoned, int attempt, long startNanos,
                         CompletableFuture<DeliveryOutcome> outcome) {
        CompletionStage<Void> call;
        try {
            call = sink.deliver(item);
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        call.whenComplete((ignored, error) -> {
            if (error == null) {
                metrics.delivered(1, Duration.ofNanos(System.nanoTime() - startNanos));
                outcome.complete(DeliveryOutcome.delivered(attempt));
                return;
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (!(cause instanceof RetryableDeliveryException retryable)) {
                outcome.complete(DeliveryOutcome.failed(attempt, asException(cause)));
            } else if (policy.exhausted(attempt)) {
                outcome.complete(DeliveryOutcome.failed(attempt, new PermanentDeliveryException(
                        PermanentDeliveryException.ATTEMPTS_EXHAUSTED, "gave up after " + attempt + " attempts: "
                        + retryable.getMessage(), retryable.sinkStatus(), retryable)));
            } else if (abandoned.getAsBoolean()) {
                outcome.complete(DeliveryOutcome.abandoned(attempt));
            } else {
                metrics.retried();
                Duration wait = policy.backoff(attempt, retryable.retryAfter());
                logRetry(label, attempt, wait, retryable);
                try {
                    timer.schedule(() -> attempt(item, label, abandoned, attempt + 1, startNanos, outcome),
                            wait.toMillis(), TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException shuttingDown) {
                    outcome.complete(DeliveryOutcome.abandoned(attempt));
                }
            }
        });
    }

    private void logRetry(String label, int attempt, Duration wait, RetryableDeliveryException failure) {
        long now = System.nanoTime();
        long last = lastWarning.get();
        if (now - last >= WARN_INTERVAL_NANOS && lastWarning.compareAndSet(last, now)) {
            LOG.warn("Delivery of {} failed (attempt {}), retrying in {} ms: {}", label, attempt, wait.toMillis(), failure.getMessage());
        } else if (LOG.isDebugEnabled()) {
            LOG.debug("Delivery of {} failed (attempt {}), retrying in {} ms: {}", label, attempt, wait.toMillis(), failure.getMessage());
        }
    }

    private static Exception asException(Throwable failure) {
        return failure instanceof Exception e ? e : new RuntimeException(failure);
    }
}
