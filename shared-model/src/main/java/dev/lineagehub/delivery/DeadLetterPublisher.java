package dev.lineagehub.delivery;

import dev.lineagehub.runtime.ConsumerMetrics;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Dead-letters records whose delivery failed after {@code process()} returned (asynchronous sinks).
 * The returned stage completes only once the broker acknowledged the dead-letter record; the commit
 * barrier waits for it, so the input offset is never committed ahead of its dead letter.
 *
 * <p>Records refused while being processed take Kafka Streams' own KIP-1034 path instead
 * ({@link DeadLetterHandler}); both build the record with {@link DeadLetters#record}.
 */
public final class DeadLetterPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterPublisher.class);

    private final Producer<byte[], byte[]> producer;
    private final String topicTemplate;
    private final String consumer;
    private final ConsumerMetrics metrics;

    public DeadLetterPublisher(Producer<byte[], byte[]> producer, String topicTemplate, String consumer,
                               ConsumerMetrics metrics) {
        this.producer = producer;
        this.topicTemplate = topicTemplate;
        this.consumer = consumer;
        this.metrics = metrics;
    }

    /** A durable producer (acks=all, idempotent) built from the consumer's Kafka client settings. */
    public static Producer<byte[], byte[]> producer(Map<String, Object> kafkaSettings, String clientId) {
        Map<String, Object> settings = new HashMap<>(kafkaSettings);
        settings.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return new KafkaProducer<>(settings, new ByteArraySerializer(), new ByteArraySerializer());
    }

    public CompletableFuture<Void> publish(SourceRecord source, Exception failure, int attempts) {
        String topic = DeadLetters.topicFor(topicTemplate, source.topic());
        ProducerRecord<byte[], byte[]> record = DeadLetters.record(topic, source, failure, attempts, consumer);
        String reason = DeadLetters.reasonOf(failure);
        LOG.warn("Dead-lettering {} to {} after {} attempt(s), reason {}: {}",
                source.describe(), topic, attempts, reason, failure.getMessage());
        CompletableFuture<Void> acknowledged = new CompletableFuture<>();
        producer.send(record, (metadata, error) -> {
            if (error != null) {
                acknowledged.completeExceptionally(error);
            } else {
                metrics.deadLettered(reason);
                acknowledged.complete(null);
            }
        });
        return acknowledged;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
