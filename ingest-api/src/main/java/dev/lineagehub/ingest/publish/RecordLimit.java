package dev.lineagehub.ingest.publish;

import dev.lineagehub.runtime.RecordSizes;

import org.apache.kafka.clients.admin.Admin;

import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.Map;

/**
 * The largest record ingest-api may publish: the smaller of the producer's {@code max.request.size}
 * and the {@code max.message.bytes} of every topic it writes events and exports to, read once at start
 * (a topic not there yet, or not readable, counts as Kafka's default). A write that does not fit is
 * refused before anything of its request is published: 413, naming this limit, never a 503 that no
 * retry could turn into a success.
 */
public record RecordLimit(int bytes, String source) {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

    public static RecordLimit read(Admin admin, Map<String, ?> producerSettings, Collection<String> topics) {
        Map<String, Integer> topicLimits = RecordSizes.maxMessageBytes(admin, topics, READ_TIMEOUT);
        int producer = RecordSizes.maxRequestSize(producerSettings);
        RecordLimit limit = new RecordLimit(producer, "the producer's max.request.size (LINEAGEHUB_INGEST_KAFKA_MAX_REQUEST_SIZE) of " + producer);
        String smallest = topics.stream().min(Comparator.comparingInt(t -> topicLimits.getOrDefault(t, RecordSizes.DEFAULT_MAX_MESSAGE_BYTES)))
                .orElse(null);
        if (smallest != null) {
            int topic = topicLimits.getOrDefault(smallest, RecordSizes.DEFAULT_MAX_MESSAGE_BYTES);
            if (topic < producer) {
                limit = new RecordLimit(topic, "topic " + smallest + "'s max.message.bytes of " + topic
                        + (topicLimits.containsKey(smallest) ? "" : " (assumed: it could not be read at start)"));
            }
        }
        return limit;
    }

    /** The largest value that fits with its key, or none (0). */
    public int largestValue(int keyBytes) {
        return Math.max(0, bytes - RecordSizes.OVERHEAD_BYTES - keyBytes);
    }

    public boolean fits(byte[] key, byte[] value) {
        return RecordSizes.sizeOf(key, value) <= bytes;
    }

    /** Why a value of {@code valueBytes} is refused: what 413 answers. */
    public String tooLarge(String what, int valueBytes, int keyBytes) {
        return what + " of " + valueBytes + " bytes is above the largest Kafka record this API can write, " + largestValue(keyBytes)
                + " bytes (" + source + ", less " + (RecordSizes.OVERHEAD_BYTES + keyBytes) + " for the key and framing)";
    }
}
