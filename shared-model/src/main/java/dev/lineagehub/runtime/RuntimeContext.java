package dev.lineagehub.runtime;

import dev.lineagehub.delivery.CommitBarrier;
import dev.lineagehub.delivery.DeadLetterPublisher;
import dev.lineagehub.delivery.RetryPolicy;

import java.util.concurrent.ScheduledExecutorService;

/** The shared pieces a topology is built with; one per running consumer. */
public interface RuntimeContext {

    ConsumerMetrics metrics();

    CommitBarrier commitBarrier();

    DeadLetterPublisher deadLetters();

    RetryPolicy retryPolicy();

    /** Schedules retries; shared by all tasks of the consumer. */
    ScheduledExecutorService retryTimer();

    /** Closed after Kafka Streams, in reverse order of registration. */
    void closeOnShutdown(AutoCloseable resource);
}
