package dev.lineagehub.openlineage;

import dev.lineagehub.delivery.DeliveryService;
import dev.lineagehub.delivery.DeliveryTask;
import dev.lineagehub.delivery.Sink;
import dev.lineagehub.delivery.SourceRecord;
import dev.lineagehub.runtime.RuntimeContext;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * OpenLineage events from one topic to one sink, through one processor per partition: parse and
 * validate (an invalid record is dead-lettered with its reason), skip filtered namespaces (counted),
 * and deliver the rest in order per ordering unit ({@link OrderBy}) through the partition's {@link DeliveryTask}.
 */
public final class OpenLineageTopology {

    static final String DELIVER = "deliver";

    private OpenLineageTopology() {
    }

    public static Topology build(OpenLineageSettings settings, String sinkName, Sink<OpenLineageEvent> sink,
                                 RuntimeContext context) {
        DeliveryService<OpenLineageEvent> service = new DeliveryService<>(sinkName, sink, context, settings.adaptive());
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(settings.topic(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("openlineage-source"))
                .process(() -> new DeliverProcessor(service, settings), Named.as(DELIVER));
        return builder.build();
    }

    private static final class DeliverProcessor implements Processor<byte[], byte[], Void, Void> {

        private final DeliveryService<OpenLineageEvent> service;
        private final OpenLineageSettings settings;
        private ProcessorContext<Void, Void> context;
        private DeliveryTask<OpenLineageEvent> task;

        DeliverProcessor(DeliveryService<OpenLineageEvent> service, OpenLineageSettings settings) {
            this.service = service;
            this.settings = settings;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            this.context = context;
            this.task = service.open(new TopicPartition(settings.topic(), context.taskId().partition()), settings.maxInFlight());
        }

        @Override
        public void process(Record<byte[], byte[]> record) {
            task.process(SourceRecord.capture(context, DELIVER, record, record.value()), () -> {
                OpenLineageEvent event = OpenLineageEvent.parse(record.value());
                return settings.filter().accepts(event.namespace())
                        ? new DeliveryTask.Work<>(settings.orderBy().unitOf(record.key(), event), event) : null;
            });
        }

        @Override
        public void close() {
            task.close();
        }
    }
}
