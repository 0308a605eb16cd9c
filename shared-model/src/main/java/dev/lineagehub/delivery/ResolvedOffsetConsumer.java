package dev.lineagehub.delivery;

import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A stream thread's main consumer whose commits never run ahead of resolved records, and which
 * commits offsets resolved since Streams' last commit on its own (Streams commits only after it
 * processed new records, so a partition whose last records resolved later would stay behind).
 * Used by one stream thread only, like every Kafka consumer.
 */
final class ResolvedOffsetConsumer extends KafkaConsumer<byte[], byte[]> {

    private static final Logger LOG = LoggerFactory.getLogger(ResolvedOffsetConsumer.class);

    private final ResolvedOffsets offsets;
    private final Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
    private long nextCatchUpNanos;

    ResolvedOffsetConsumer(Map<String, Object> config, ResolvedOffsets offsets) {
        super(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.offsets = offsets;
    }

    @Override
    public void commitSync(Map<TopicPartition, OffsetAndMetadata> requested) {
        Map<TopicPartition, OffsetAndMetadata> clamped = offsets.clamp(requested);
        super.commitSync(clamped);
        committed.putAll(clamped);
    }

    @Override
    public void commitSync(Map<TopicPartition, OffsetAndMetadata> requested, Duration timeout) {
        Map<TopicPartition, OffsetAndMetadata> clamped = offsets.clamp(requested);
        super.commitSync(clamped, timeout);
        committed.putAll(clamped);
    }

    @Override
    public void commitAsync(Map<TopicPartition, OffsetAndMetadata> requested, OffsetCommitCallback callback) {
        Map<TopicPartition, OffsetAndMetadata> clamped = offsets.clamp(requested);
        committed.putAll(clamped);
        super.commitAsync(clamped, callback);
    }

    @Override
    public ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
        long now = System.nanoTime();
        if (now - nextCatchUpNanos >= 0) {
            nextCatchUpNanos = now + offsets.commitInterval().toNanos();
            committed.keySet().retainAll(assignment());
            Map<TopicPartition, OffsetAndMetadata> ahead = offsets.resolvedBeyond(assignment(), committed);
            if (!ahead.isEmpty()) {
                Map<TopicPartition, OffsetAndMetadata> before = new HashMap<>(committed);
                committed.putAll(ahead);
                super.commitAsync(ahead, (done, error) -> {
                    if (error != null) {
                        // Runs inside a later poll on this thread; the next catch-up tries these offsets again.
                        LOG.debug("Committing resolved offsets {} failed: {}", ahead, error.toString());
                        ahead.keySet().forEach(partition -> committed.computeIfPresent(partition,
                                (p, current) -> current == ahead.get(p) ? before.get(p) : current));
                    }
                });
            }
        }
        return super.poll(timeout);
    }
}
