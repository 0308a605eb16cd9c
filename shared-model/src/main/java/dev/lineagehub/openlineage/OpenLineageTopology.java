package dev.lineagehub.openlineage;

import dev.lineagehub.delivery.CommitBarrier;
import dev.lineagehub.delivery.OrderedDispatcher;
import dev.lineagehub.delivery.RetryingSink;
import dev.lineagehub.delivery.Sink;
import dev.lineagehub.delivery.SourceRecord;
import dev.lineagehub.runtime.RuntimeContext;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * OpenLineage events from one topic to one sink: parse and validate (invalid records go to the
 * dead-letter topic through Kafka Streams' handler), drop filtered namespaces (counted), then deliver
 * each event in run order through an {@link OrderedDispatcher} per partition.
 */
public final class OpenLineageTopology {

    static final String DELIVER = "deliver";

    private OpenLineageTopology() {
    }

    public static Topology build(OpenLineageSettings settings, Sink<OpenLineageEvent> sink, RuntimeContext context) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(settings.topic(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("openlineage-source"))
                .mapValues(value -> OpenLineageEvent.parse(value), Named.as("parse"))
                .filter((key, event) -> {
                    boolean accepted = settings.filter().accepts(event.namespace());
                    if (!accepted) {
                        context.metrics().filtered();
                    }
                    return accepted;
                }, Named.as("namespace-filter"))
                .process(() -> new DeliverProcessor(sink, settings.maxInFlight(), context), Named.as(DELIVER));
        return builder.build();
    }

    private static final class DeliverProcessor implements Processor<byte[], OpenLineageEvent, Void, Void> {

        private final Sink<OpenLineageEvent> sink;
        private final int maxInFlight;
        private final RuntimeContext runtime;
        private ProcessorContext<Void, Void> context;
        private OrderedDispatcher<OpenLineageEvent> dispatcher;
        private CommitBarrier.Registration registration;

        DeliverProcessor(Sink<OpenLineageEvent> sink, int maxInFlight, RuntimeContext runtime) {
            this.sink = sink;
            this.maxInFlight = maxInFlight;
            this.runtime = runtime;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            this.context = context;
            RetryingSink<OpenLineageEvent> retrying =
                    new RetryingSink<>(sink, runtime.retryPolicy(), runtime.retryTimer(), runtime.metrics());
            dispatcher = new OrderedDispatcher<>(retrying, runtime.deadLetters(), runtime.commitBarrier(),
                    runtime.metrics(), runtime.deliveryWindow(), maxInFlight);
            registration = runtime.commitBarrier().register(dispatcher);
        }

        @Override
        public void process(Record<byte[], OpenLineageEvent> record) {
            OpenLineageEvent event = record.value();
            dispatcher.submit(event.orderingKey(), event, SourceRecord.capture(context, DELIVER, record, event.bytes()));
        }

        @Override
        public void close() {
            registration.close();
            dispatcher.close();
        }
    }
}
