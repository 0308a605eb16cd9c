package dev.lineagehub.delivery;

import dev.lineagehub.runtime.ConsumerMetrics;

import org.apache.kafka.common.errors.InterruptException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Delivers the items of one task (one input partition) concurrently across keys and strictly in
 * order within a key, taking a slot of its stream thread's {@link DeliveryWindow} for each item until
 * it is resolved; the task adds {@code slots} to that window while it is assigned.
 *
 * <p>An item is resolved once it is delivered or its dead letter is acknowledged.
 * {@link #beforeCommit()} waits until every item this task submitted is resolved, so the offsets
 * Streams then commits never run ahead of the sink. While the sink is down, submissions block once the
 * window is full and the partitions stop advancing; nothing is dead-lettered for being late.
 */
public final class OrderedDispatcher<T> implements CommitBarrier.PreCommitHook, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OrderedDispatcher.class);
    private static final long PROGRESS_LOG_SECONDS = 30;

    private final RetryingSink<T> sink;
    private final DeadLetterPublisher deadLetters;
    private final CommitBarrier barrier;
    private final ConsumerMetrics metrics;
    private final DeliveryWindow window;
    private final int slots;
    private final DeliveryWindow unresolved = new DeliveryWindow(Integer.MAX_VALUE);
    private final Map<String, CompletableFuture<Void>> lastOfKey = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private volatile Throwable deadLetterFailure;

    public OrderedDispatcher(RetryingSink<T> sink, DeadLetterPublisher deadLetters, CommitBarrier barrier,
                             ConsumerMetrics metrics, DeliveryWindow window, int slots) {
        this.sink = sink;
        this.deadLetters = deadLetters;
        this.barrier = barrier;
        this.metrics = metrics;
        this.window = window;
        this.slots = slots;
        window.resize(slots);
    }

    /** Hands an item to the sink after the previous item of the same key; blocks while the window is full. */
    public void submit(String key, T item, SourceRecord source) {
        await(window::tryAcquire, "a free delivery slot");
        await(unresolved::tryAcquire, "a free delivery slot"); // unlimited: never waits, only counts
        metrics.inFlight().incrementAndGet();
        CompletableFuture<Void> resolved = new CompletableFuture<>();
        CompletableFuture<Void> previous = lastOfKey.put(key, resolved);
        String label = source.describe() + " " + item;
        (previous == null ? CompletableFuture.<Void>completedFuture(null) : previous)
                .thenCompose(ignored -> window.turnToCall())
                .thenCompose(ignored -> sink.deliver(item, label, () -> closed).whenComplete((outcome, error) -> window.callEnded()))
                .thenCompose(outcome -> outcome.status() == DeliveryOutcome.Status.FAILED
                        ? deadLetters.publish(source, outcome.failure(), outcome.attempts())
                        : CompletableFuture.<Void>completedFuture(null))
                .whenComplete((ignored, error) -> {
                    if (error != null) {
                        LOG.error("Could not dead-letter {}; its offset will not be committed", label, error);
                        deadLetterFailure = error;
                    }
                    lastOfKey.remove(key, resolved);
                    metrics.inFlight().decrementAndGet();
                    unresolved.release();
                    window.release();
                    resolved.complete(null);
                });
    }

    @Override
    public void beforeCommit() {
        await(unresolved::awaitEmpty, "all deliveries to resolve before committing offsets");
        Throwable failure = deadLetterFailure;
        if (failure != null) {
            throw new IllegalStateException("a dead-letter record could not be written; not committing", failure);
        }
    }

    /** Stops retrying: unresolved items are abandoned uncommitted, for the partition's next owner. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            window.resize(-slots);
        }
    }

    @FunctionalInterface
    private interface TimedWait {
        boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException;
    }

    private void await(TimedWait wait, String waitingFor) {
        long waitedSeconds = 0;
        try {
            while (!wait.waitFor(1, TimeUnit.SECONDS)) {
                if (barrier.givingUp()) {
                    throw new IllegalStateException("shutting down with " + unresolved.unresolved()
                            + " deliveries unresolved; their offsets stay uncommitted and will be delivered again");
                }
                if (++waitedSeconds % PROGRESS_LOG_SECONDS == 0) {
                    LOG.warn("Waited {} s for {}: {} deliveries of this partition unresolved (is the sink down?)",
                            waitedSeconds, waitingFor, unresolved.unresolved());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException(e);
        }
    }
}
