package dev.lineagehub.runtime;

import dev.lineagehub.delivery.CommitBarrier;
import dev.lineagehub.delivery.DeadLetterPublisher;
import dev.lineagehub.delivery.DeliveryWindow;
import dev.lineagehub.delivery.RetryPolicy;

import java.util.concurrent.ScheduledExecutorService;

/** The shared pieces a topology is built with; one per running consumer. */
public interface RuntimeContext {

    ConsumerMetrics metrics();

    CommitBarrier commitBarrier();

    DeadLetterPublisher deadLetters();

    RetryPolicy retryPolicy();

    /** The delivery window shared by the tasks of the calling stream thread; call it from {@code Processor.init}. */
    DeliveryWindow deliveryWindow();

    /** Schedules retries; shared by all tasks of the consumer. */
    ScheduledExecutorService retryTimer();

    /** Closed after Kafka Streams, in reverse order of registration. */
    void closeOnShutdown(AutoCloseable resource);
}
