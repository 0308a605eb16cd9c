package dev.lineagehub.delivery.offsets;

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

    /** The consumer's positions would commit records not resolved yet: clamped like every other commit. */
    @Override
    public void commitSync() {
        commitSync(positions());
    }

    @Override
    public void commitSync(Duration timeout) {
        commitSync(positions(), timeout);
    }

    @Override
    public void commitAsync() {
        commitAsync(positions(), null);
    }

    @Override
    public void commitAsync(OffsetCommitCallback callback) {
        commitAsync(positions(), callback);
    }

    @Override
    public void commitAsync(Map<TopicPartition, OffsetAndMetadata> requested, OffsetCommitCallback callback) {
        commitAsyncClamped(offsets.clamp(requested), callback);
    }

    @Override
    public ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
        long now = System.nanoTime();
        if (now - nextCatchUpNanos >= 0) {
            nextCatchUpNanos = now + offsets.commitInterval().toNanos();
            committed.keySet().retainAll(assignment());
            Map<TopicPartition, OffsetAndMetadata> ahead = offsets.resolvedBeyond(assignment(), committed);
            if (!ahead.isEmpty()) {
                commitAsyncClamped(ahead, (done, error) -> {
                    if (error != null) {
                        LOG.debug("Committing resolved offsets {} failed: {}", ahead, error.toString());
                    }
                });
            }
        }
        return super.poll(timeout);
    }

    /**
     * Counts the offsets as committed while the commit is in flight (so that the catch-up does not send
     * them again), and takes that back if it fails, unless a later commit of the partition replaced
     * it: the next catch-up then tries these offsets again. The callback runs inside a later poll, on
     * this thread.
     */
    private void commitAsyncClamped(Map<TopicPartition, OffsetAndMetadata> clamped, OffsetCommitCallback callback) {
        Map<TopicPartition, OffsetAndMetadata> before = new HashMap<>();
        clamped.keySet().forEach(partition -> before.put(partition, committed.get(partition)));
        committed.putAll(clamped);
        super.commitAsync(clamped, (done, error) -> {
            if (error != null) {
                clamped.forEach((partition, offset) -> {
                    if (committed.get(partition) == offset) {
                        OffsetAndMetadata previous = before.get(partition);
                        if (previous == null) {
                            committed.remove(partition);
                        } else {
                            committed.put(partition, previous);
                        }
                    }
                });
            }
            if (callback != null) {
                callback.onComplete(done, error);
            }
        });
    }

    private Map<TopicPartition, OffsetAndMetadata> positions() {
        Map<TopicPartition, OffsetAndMetadata> positions = new HashMap<>();
        for (TopicPartition partition : assignment()) {
            positions.put(partition, new OffsetAndMetadata(position(partition)));
        }
        return positions;
    }
}
