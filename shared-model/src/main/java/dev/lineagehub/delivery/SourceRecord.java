package dev.lineagehub.delivery;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Where a record came from, captured when it was processed so that a delivery failing later, on
 * another thread, can still be dead-lettered exactly as Kafka Streams would have done it.
 */
public record SourceRecord(String topic, int partition, long offset, long timestamp, Headers headers,
                           byte[] sourceRawKey, byte[] sourceRawValue, TaskId taskId, String processorNodeId)
        implements ErrorHandlerContext {

    public static SourceRecord capture(ProcessorContext<?, ?> context, String processorNodeId, Record<byte[], ?> record,
                                       byte[] rawValue) {
        RecordMetadata metadata = context.recordMetadata().orElseThrow(
                () -> new IllegalStateException("no source record: called outside of process()"));
        return new SourceRecord(metadata.topic(), metadata.partition(), metadata.offset(), record.timestamp(),
                new RecordHeaders(record.headers().toArray()), record.key(), rawValue, context.taskId(), processorNodeId);
    }

    /** The value's size as read from Kafka: what the record's memory grows with, and what byte bounds count. */
    public long valueBytes() {
        return sourceRawValue == null ? 0 : sourceRawValue.length;
    }

    /** {@code topic-partition@offset}, the way log lines identify a record. */
    public String describe() {
        return topic + '-' + partition + '@' + offset;
    }
}
