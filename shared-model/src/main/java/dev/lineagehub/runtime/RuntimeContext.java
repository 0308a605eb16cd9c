package dev.lineagehub.runtime;

import dev.lineagehub.delivery.deadletter.DeadLetterPublisher;
import dev.lineagehub.delivery.flow.DeliveryBudget;
import dev.lineagehub.delivery.offsets.ResolvedOffsets;
import dev.lineagehub.delivery.RetryPolicy;
import dev.lineagehub.delivery.flow.SinkHealth;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/** What a topology gets from the runtime of its consumer. */
public interface RuntimeContext {

    ConsumerMetrics metrics();

    /** The consumer's delivery slots; pauses processing when full or when a sink is down. */
    DeliveryBudget budget();

    DeadLetterPublisher deadLetters();

    /** Where each partition's resolved offsets are tracked, so commits never run ahead of them. */
    ResolvedOffsets offsets();

    /** Backoff between retries and the attempts after which a record the sink keeps refusing is dead-lettered. */
    RetryPolicy retryPolicy();

    /** Runs delivery continuations: never a sink's I/O thread, never a stream thread. */
    Executor deliveryExecutor();

    /** Schedules probes and retries; its tasks only hand work to the delivery executor. */
    ScheduledExecutorService timer();

    /** How long a closing partition waits for the sink calls it started. */
    Duration taskCloseTimeout();

    /** Reports this sink's health on the admin port and in metrics, and pauses processing while it is down. */
    void watch(SinkHealth health);

    /**
     * Kafka's id of a topic (its UUID), which changes when the topic is deleted and created again:
     * what deduplicates by offsets names the log by it. May wait for the broker; never call it on a
     * stream thread.
     */
    String topicId(String topic) throws Exception;

    /** Closed after Kafka Streams, in reverse order of registration. */
    void closeOnShutdown(AutoCloseable resource);
}
