package dev.lineagehub.delivery;

import dev.lineagehub.runtime.ConsumerMetrics;
import dev.lineagehub.runtime.RuntimeContext;

import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Delivery to one sink for a consumer: the sink, its shared {@link SinkHealth}, and the runtime's
 * budget, dead letters, retry policy and threads. Each processor opens a {@link DeliveryTask} for its
 * partition from here.
 */
public final class DeliveryService<T> {

    private final Sink<T> sink;
    private final RuntimeContext runtime;
    private final SinkHealth health;

    public DeliveryService(String sinkName, Sink<T> sink, RuntimeContext runtime) {
        this.sink = sink;
        this.runtime = runtime;
        this.health = new SinkHealth(sinkName, sink::probe, runtime.timer(), runtime.retryPolicy().initialBackoff());
        runtime.watch(health);
    }

    /**
     * Opens the task of a partition, on the stream thread in {@code Processor.init}.
     *
     * @param slots sink calls this partition adds to the consumer's budget ({@code MAX_IN_FLIGHT})
     */
    public DeliveryTask<T> open(TopicPartition partition, int slots) {
        return new DeliveryTask<>(this, partition.toString(), runtime.offsets().open(partition), slots);
    }

    public SinkHealth health() {
        return health;
    }

    Sink<T> sink() {
        return sink;
    }

    DeliveryBudget budget() {
        return runtime.budget();
    }

    DeadLetterPublisher deadLetters() {
        return runtime.deadLetters();
    }

    RetryPolicy retryPolicy() {
        return runtime.retryPolicy();
    }

    ConsumerMetrics metrics() {
        return runtime.metrics();
    }

    Executor executor() {
        return runtime.deliveryExecutor();
    }

    Duration closeTimeout() {
        return runtime.taskCloseTimeout();
    }

    CompletableFuture<Void> delay(Duration wait) {
        return new CompletableFuture<Void>().completeOnTimeout(null, wait.toMillis(), TimeUnit.MILLISECONDS);
    }
}
