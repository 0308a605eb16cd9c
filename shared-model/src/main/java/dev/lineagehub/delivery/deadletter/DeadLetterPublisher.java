package dev.lineagehub.delivery.deadletter;

import dev.lineagehub.delivery.RetryPolicy;
import dev.lineagehub.delivery.SourceRecord;

import dev.lineagehub.runtime.ConsumerMetrics;
import dev.lineagehub.runtime.DaemonThreads;
import dev.lineagehub.runtime.RecordSizes;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Writes dead letters, every one of them: records the consumer could not parse and records the sink
 * refused. A dead letter counts as written only once the broker acknowledged it.
 *
 * <ul>
 *   <li>One that does not fit ({@code max.request.size}, or the topic's {@code max.message.bytes}) is
 *       written truncated ({@link DeadLetters#truncated}), never dropped and never fatal.</li>
 *   <li>Any other failure (broker down, timeout) is retried with backoff until it is written or the
 *       record's partition is closed; then the record stays uncommitted and its next owner tries again.</li>
 *   <li>{@code producer.send} may block (metadata, a full buffer), so it runs on this publisher's own
 *       thread, never on a stream thread or an I/O thread.</li>
 * </ul>
 */
public final class DeadLetterPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterPublisher.class);

    private final Producer<byte[], byte[]> producer;
    private final String topicTemplate;
    private final String consumer;
    private final ConsumerMetrics metrics;
    private final ScheduledExecutorService timer;
    private final RetryPolicy backoff;
    private final int maxRequestSize;
    private final ExecutorService sender;

    public DeadLetterPublisher(Producer<byte[], byte[]> producer, String topicTemplate, String consumer, ConsumerMetrics metrics,
                               ScheduledExecutorService timer, RetryPolicy backoff, int maxRequestSize) {
        this.producer = producer;
        this.topicTemplate = topicTemplate;
        this.consumer = consumer;
        this.metrics = metrics;
        this.timer = timer;
        this.backoff = backoff;
        this.maxRequestSize = maxRequestSize;
        this.sender = Executors.newSingleThreadExecutor(DaemonThreads.named(consumer + "-dead-letters"));
    }

    /** A durable producer (acks=all, idempotent) built from the consumer's Kafka client settings. */
    public static Producer<byte[], byte[]> producer(Map<String, Object> kafkaSettings, String clientId) {
        Map<String, Object> settings = new HashMap<>(kafkaSettings);
        settings.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return new KafkaProducer<>(settings, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * Writes the dead letter of {@code source}.
     *
     * @param abandoned checked before every try; true gives up (the partition was closed)
     * @return completes with true once written, false if given up
     */
    public CompletableFuture<Boolean> publish(SourceRecord source, Throwable failure, int attempts, BooleanSupplier abandoned) {
        String topic = DeadLetters.topicFor(topicTemplate, source.topic());
        Exception cause = failure instanceof Exception e ? e : new RuntimeException(failure);
        ProducerRecord<byte[], byte[]> record = DeadLetters.record(topic, source, cause, attempts, consumer);
        if (RecordSizes.sizeOf(record) > maxRequestSize) {
            record = DeadLetters.truncated(topic, source, cause, attempts, consumer);
        }
        LOG.warn("Dead-lettering {} to {} after {} attempt(s), reason {}: {}", source.describe(), topic, attempts,
                DeadLetters.reasonOf(record), failure.getMessage());
        CompletableFuture<Boolean> written = new CompletableFuture<>();
        new Attempt(record, source, cause, attempts, abandoned, written).submit();
        return written;
    }

    private final class Attempt {
        private final SourceRecord source;
        private final Exception failure;
        private final int deliveryAttempts;
        private final BooleanSupplier abandoned;
        private final CompletableFuture<Boolean> written;
        private ProducerRecord<byte[], byte[]> record;
        private int tries;

        Attempt(ProducerRecord<byte[], byte[]> record, SourceRecord source, Exception failure, int deliveryAttempts,
                BooleanSupplier abandoned, CompletableFuture<Boolean> written) {
            this.record = record;
            this.source = source;
            this.failure = failure;
            this.deliveryAttempts = deliveryAttempts;
            this.abandoned = abandoned;
            this.written = written;
        }

        void submit() {
            try {
                sender.execute(this::send);
            } catch (RejectedExecutionException closing) {
                written.complete(false);
            }
        }

        private void send() {
            if (abandoned.getAsBoolean()) {
                written.complete(false);
                return;
            }
            tries++;
            try {
                producer.send(record, (metadata, error) -> {
                    if (error == null) {
                        metrics.deadLettered(DeadLetters.reasonOf(record));
                        written.complete(true);
                    } else {
                        failed(error);
                    }
                });
            } catch (RuntimeException e) {
                failed(e);
            }
        }

        /** Runs on a producer I/O thread or the sender thread: only decides, the next try runs on the sender. */
        private void failed(Throwable error) {
            if (error instanceof RecordTooLargeException && !DeadLetters.isTruncated(record)) {
                LOG.warn("Dead letter of {} is too large for {} ({} bytes): writing it truncated", source.describe(),
                        record.topic(), RecordSizes.sizeOf(record));
                record = DeadLetters.truncated(record.topic(), source, failure, deliveryAttempts, consumer);
                submit();
                return;
            }
            Duration wait = backoff.backoff(tries, Optional.empty());
            LOG.warn("Could not write the dead letter of {} to {} (try {}), retrying in {} ms: {}", source.describe(),
                    record.topic(), tries, wait.toMillis(), error.toString());
            try {
                timer.schedule(this::submit, wait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closing) {
                written.complete(false);
            }
        }
    }

    @Override
    public void close() {
        sender.shutdown();
        try {
            sender.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(10));
    }
}
