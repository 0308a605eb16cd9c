package dev.lineagehub.otel.topology;

import dev.lineagehub.delivery.DeliveryService;
import dev.lineagehub.delivery.DeliveryTask;
import dev.lineagehub.delivery.SourceRecord;
import dev.lineagehub.otel.sink.BatchInserter;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import java.util.List;

/**
 * One partition of an OTLP (or OpenLineage) topic into its ClickHouse tables: each record is decoded
 * into rows and queued in the partition's {@link BatchInserter}; its {@link DeliveryTask} resolves it
 * once its batch is inserted, or dead-letters it when it cannot be decoded or ClickHouse refuses its rows.
 */
final class InsertProcessor<R> implements Processor<byte[], byte[], Void, Void> {

    /** Decodes one record into its rows; throws an UndecodableRecordException to dead-letter it. */
    interface Decoder<R> {
        List<R> rows(byte[] value);
    }

    private final String name;
    private final String topic;
    private final DeliveryService<BatchInserter.Queued> service;
    private final BatchInserter.Shared shared;
    private final BatchInserter.Table<R> table;
    private final Decoder<R> decoder;
    private final int slots;
    private ProcessorContext<Void, Void> context;
    private BatchInserter<R> inserter;
    private DeliveryTask<BatchInserter.Queued> task;

    InsertProcessor(String name, String topic, DeliveryService<BatchInserter.Queued> service, BatchInserter.Shared shared,
                    BatchInserter.Table<R> table, Decoder<R> decoder, int slots) {
        this.name = name;
        this.topic = topic;
        this.service = service;
        this.shared = shared;
        this.table = table;
        this.decoder = decoder;
        this.slots = slots;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        int partition = context.taskId().partition();
        inserter = new BatchInserter<>(shared, table, topic, partition);
        task = service.open(new TopicPartition(topic, partition), slots);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        SourceRecord source = SourceRecord.capture(context, name, record, record.value());
        task.process(source, () -> new DeliveryTask.Work<>(null, inserter.queue(source, decoder.rows(record.value()))));
    }

    @Override
    public void close() {
        // The inserter finishes the insert in progress and releases its queue; only then can the task's wait end early.
        task.stopStarting();
        inserter.close();
        task.close();
    }
}
