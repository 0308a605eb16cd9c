package dev.lineagehub.ingest.publish;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Publishes to Kafka so that an answer of success means the record is stored: an idempotent producer
 * with {@code acks=all}, and a future that completes only on the broker's acknowledgement. A write
 * Kafka cannot take within the publish timeout fails with {@link KafkaUnavailableException}; it may
 * still be stored later (the client, told to retry, then sends it twice: at least once, never lost).
 *
 * <p>{@code send} blocks while the producer has no metadata for the topic (the broker is down), so it
 * runs on a small pool of its own, never on an HTTP event loop.
 */
public final class KafkaPublisher implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final ExecutorService senders;
    private final Duration timeout;

    public KafkaPublisher(String bootstrapServers, Map<String, String> overrides, Duration timeout) {
        this.timeout = timeout;
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(50, timeout.toMillis() - 5));
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis());
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "lineagehub-ingest");
        config.putAll(overrides);
        this.producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
        this.senders = Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "ingest-kafka-send");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Completes on Kafka's acknowledgement; fails with {@link KafkaUnavailableException} after the publish timeout. */
    public CompletableFuture<RecordMetadata> publish(String topic, byte[] key, byte[] value) {
        CompletableFuture<RecordMetadata> acknowledged = new CompletableFuture<>();
        senders.execute(() -> {
            try {
                producer.send(new ProducerRecord<>(topic, key, value), (metadata, error) -> {
                    if (error != null) {
                        acknowledged.completeExceptionally(new KafkaUnavailableException(error));
                    } else {
                        acknowledged.complete(metadata);
                    }
                });
            } catch (RuntimeException e) {
                acknowledged.completeExceptionally(new KafkaUnavailableException(e));
            }
        });
        // The producer's own timeouts end every send; this bounds the time spent waiting to send as well.
        return acknowledged.orTimeout(2 * timeout.toMillis(), TimeUnit.MILLISECONDS)
                .exceptionallyCompose(error -> {
                    Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                            ? error.getCause() : error;
                    return CompletableFuture.failedFuture(cause instanceof KafkaUnavailableException
                            ? cause : new KafkaUnavailableException(cause));
                });
    }

    @Override
    public void close() {
        senders.shutdown();
        producer.close(timeout);
    }
}
