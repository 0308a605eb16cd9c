package dev.lineagehub.delivery;

import dev.lineagehub.delivery.deadletter.DeadLetterPublisher;
import dev.lineagehub.delivery.flow.ConcurrencyLimit;
import dev.lineagehub.delivery.flow.DeliveryBudget;
import dev.lineagehub.delivery.flow.SinkHealth;

import dev.lineagehub.runtime.ConsumerMetrics;
import dev.lineagehub.runtime.RuntimeContext;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;

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
    private final Timer callLatency;

    /** Calls in flight as the consumer's capacity allows ({@code MAX_IN_FLIGHT} per partition), for sinks that batch. */
    public DeliveryService(String sinkName, Sink<T> sink, RuntimeContext runtime) {
        this(sinkName, sink, runtime, false);
    }

    /**
     * @param adaptive whether the sink's latency decides how many calls run at once, up to the
     *                 capacity ({@link ConcurrencyLimit}), for sinks that take one record per call
     */
    public DeliveryService(String sinkName, Sink<T> sink, RuntimeContext runtime, boolean adaptive) {
        this.sink = sink;
        this.runtime = runtime;
        this.health = new SinkHealth(sinkName, sink::probe, runtime.timer(), runtime.retryPolicy().initialBackoff());
        runtime.watch(health);
        if (adaptive) {
            ConcurrencyLimit limit = new ConcurrencyLimit(System::nanoTime);
            runtime.budget().adaptTo(limit);
            runtime.timer().scheduleWithFixedDelay(runtime.budget()::releaseSlowCalls, DeliveryBudget.SLOW_CALL_SWEEP_MILLIS,
                    DeliveryBudget.SLOW_CALL_SWEEP_MILLIS, TimeUnit.MILLISECONDS);
            health.onChange(state -> {
                if (state == SinkHealth.State.UP) {
                    limit.recovered();
                }
            });
        }
        Gauge.builder(runtime.metrics().name("concurrency_limit"), runtime.budget(), DeliveryBudget::callLimit)
                .description("Sink calls this instance may have in flight now: adaptive, or the capacity when fixed")
                .tag("sink", sinkName).register(runtime.metrics().registry());
        Gauge.builder(runtime.metrics().name("oldest_call_seconds"), runtime.budget(), budget -> budget.oldestCall().toNanos() / 1e9)
                .description("How long the oldest sink call in progress has been waiting for its answer: a hung sink shows here"
                        + " before any request timeout does")
                .tag("sink", sinkName).register(runtime.metrics().registry());
        this.callLatency = Timer.builder(runtime.metrics().name("sink_call"))
                .description("Time the sink took to answer one call (accepted or refused), retries not included")
                .tag("sink", sinkName).publishPercentileHistogram().register(runtime.metrics().registry());
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

    Timer callLatency() {
        return callLatency;
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
