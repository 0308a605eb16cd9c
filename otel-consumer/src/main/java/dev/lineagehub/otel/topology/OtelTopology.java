package dev.lineagehub.otel.topology;

import dev.lineagehub.otel.config.ClickHouseSettings;
import dev.lineagehub.otel.sink.ClickHouse;
import dev.lineagehub.runtime.RuntimeContext;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;

/** OTLP spans topic → batches per partition → {@code otel_traces}. Undecodable records go to the dead-letter topic. */
public final class OtelTopology {

    private OtelTopology() {
    }

    public static Topology build(ClickHouseSettings settings, RuntimeContext runtime) {
        ClickHouse clickhouse = new ClickHouse(settings);
        Topology topology = new Topology();
        topology.addSource("spans", Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(), settings.spansTopic());
        topology.addProcessor(SpanBatchProcessor.NAME, () -> new SpanBatchProcessor(settings, clickhouse, runtime), "spans");
        return topology;
    }
}
