package dev.lineagehub.runtime;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.header.Header;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * How big a record is to Kafka, and how big one may be: the producer refuses a record above its
 * {@code max.request.size}, the broker a batch above the topic's {@code max.message.bytes}. Sizes
 * are counted uncompressed with a generous framing allowance, so a record that fits here fits there.
 */
public final class RecordSizes {

    /** A batch's header (61 bytes) and a record's framing (at most 36), rounded up with room to spare. */
    public static final int OVERHEAD_BYTES = 256;
    /** Kafka's default {@code max.message.bytes} (and the broker's {@code message.max.bytes}). */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;
    /** Kafka's default {@code max.request.size}. */
    public static final int DEFAULT_MAX_REQUEST_SIZE = 1_048_576;

    private RecordSizes() {
    }

    public static int sizeOf(ProducerRecord<byte[], byte[]> record) {
        int size = sizeOf(record.key(), record.value());
        for (Header header : record.headers()) {
            size += header.key().length() + length(header.value());
        }
        return size;
    }

    public static int sizeOf(byte[] key, byte[] value) {
        return OVERHEAD_BYTES + length(key) + length(value);
    }

    /** The producer's {@code max.request.size} in those settings. */
    public static int maxRequestSize(Map<String, ?> producerSettings) {
        Object value = producerSettings.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        return value == null ? DEFAULT_MAX_REQUEST_SIZE : Integer.parseInt(value.toString().strip());
    }

    /**
     * Each topic's {@code max.message.bytes} as the broker reports it (its own default for a topic
     * that sets none); a topic that does not exist yet, or could not be described, is left out.
     */
    public static Map<String, Integer> maxMessageBytes(Admin admin, Collection<String> topics, Duration timeout) {
        Map<String, Integer> limits = new HashMap<>();
        var described = admin.describeConfigs(topics.stream().map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic))
                .toList()).values();
        long deadline = System.nanoTime() + timeout.toNanos();
        for (var topic : described.entrySet()) {
            try {
                Config config = topic.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                limits.put(topic.getKey().name(), Integer.parseInt(config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG).value()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return limits;
            } catch (Exception unreadable) {
                // Not there yet, no permission, or no broker in time: the caller says what it assumes instead.
            }
        }
        return limits;
    }

    private static int length(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }
}
