package dev.lineagehub.delivery.offsets;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaClientSupplier;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The at-least-once half of the delivery contract: every offset Kafka Streams commits is clamped to
 * what is resolved in that partition ({@link OffsetTracker}), and offsets resolved after Streams'
 * last commit are committed from the stream thread's next poll.
 *
 * <p>Kafka Streams counts a record as done when {@code process()} returns. Our sinks finish later, on
 * other threads; instead of holding the stream thread until they do (which, while a sink is down,
 * stops polling and gets the member evicted), the consumer Streams obtains from our
 * {@link KafkaClientSupplier} rewrites each commit. Only public Kafka Streams API is involved.
 */
public final class ResolvedOffsets {

    private final Map<TopicPartition, OffsetTracker> trackers = new ConcurrentHashMap<>();
    private final Duration commitInterval;

    /** @param commitInterval how often resolved offsets are committed beyond Streams' own commits */
    public ResolvedOffsets(Duration commitInterval) {
        this.commitInterval = commitInterval;
    }

    /**
     * A fresh tracker for a partition whose task is being created. It replaces the tracker of the
     * partition's previous task on this instance, whose final commit Streams made before the new task starts.
     */
    public OffsetTracker open(TopicPartition partition) {
        OffsetTracker tracker = new OffsetTracker();
        trackers.put(partition, tracker);
        return tracker;
    }

    /** The trackers of this instance's partitions, for health and metrics. */
    public Map<TopicPartition, OffsetTracker> trackers() {
        return Map.copyOf(trackers);
    }

    Map<TopicPartition, OffsetAndMetadata> clamp(Map<TopicPartition, OffsetAndMetadata> requested) {
        Map<TopicPartition, OffsetAndMetadata> clamped = new HashMap<>(requested.size());
        requested.forEach((partition, offset) -> {
            OffsetTracker tracker = trackers.get(partition);
            long allowed = tracker == null ? offset.offset() : tracker.committable(offset.offset());
            clamped.put(partition, allowed == offset.offset() ? offset
                    : new OffsetAndMetadata(allowed, offset.leaderEpoch(), offset.metadata()));
        });
        return clamped;
    }

    /** Offsets resolved beyond what this consumer last committed, among the partitions it owns. */
    Map<TopicPartition, OffsetAndMetadata> resolvedBeyond(Set<TopicPartition> owned,
                                                          Map<TopicPartition, OffsetAndMetadata> committed) {
        Map<TopicPartition, OffsetAndMetadata> ahead = new HashMap<>();
        for (TopicPartition partition : owned) {
            OffsetTracker tracker = trackers.get(partition);
            OffsetAndMetadata last = committed.get(partition);
            if (tracker != null && last != null && tracker.resolvedUpTo() > last.offset()) {
                ahead.put(partition, new OffsetAndMetadata(tracker.resolvedUpTo(), last.metadata()));
            }
        }
        return ahead;
    }

    Duration commitInterval() {
        return commitInterval;
    }

    /** The client supplier to hand to {@code new KafkaStreams(topology, props, supplier)}. */
    public KafkaClientSupplier clientSupplier() {
        return new KafkaClientSupplier() {
            @Override
            public Admin getAdmin(Map<String, Object> config) {
                return Admin.create(config);
            }

            @Override
            public Producer<byte[], byte[]> getProducer(Map<String, Object> config) {
                return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
            }

            @Override
            public Consumer<byte[], byte[]> getConsumer(Map<String, Object> config) {
                return new ResolvedOffsetConsumer(config, ResolvedOffsets.this);
            }

            @Override
            public Consumer<byte[], byte[]> getRestoreConsumer(Map<String, Object> config) {
                return plainConsumer(config);
            }

            @Override
            public Consumer<byte[], byte[]> getGlobalConsumer(Map<String, Object> config) {
                return plainConsumer(config);
            }
        };
    }

    private static Consumer<byte[], byte[]> plainConsumer(Map<String, Object> config) {
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
