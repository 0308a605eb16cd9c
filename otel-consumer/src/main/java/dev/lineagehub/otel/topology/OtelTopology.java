package dev.lineagehub.otel.topology;

import dev.lineagehub.otel.config.ClickHouseSettings;
import dev.lineagehub.otel.decode.LineageRunRows;
import dev.lineagehub.otel.decode.MetricRows;
import dev.lineagehub.otel.decode.OtlpDecoder;
import dev.lineagehub.otel.decode.SpanRow;
import dev.lineagehub.otel.decode.SpanRows;
import dev.lineagehub.otel.decode.TableRow;
import dev.lineagehub.otel.sink.ClickHouse;
import dev.lineagehub.otel.sink.RowTables;
import dev.lineagehub.otel.sink.SpanTable;
import dev.lineagehub.runtime.RuntimeContext;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;

/**
 * OTLP spans topic → batches per partition → {@code otel_traces}; OTLP metrics topic → batches per
 * partition → the five {@code otel_metrics_*} tables; OpenLineage topic → {@code lineage_runs}.
 * Undecodable records go to the dead-letter topic.
 */
public final class OtelTopology {

    private OtelTopology() {
    }

    public static Topology build(ClickHouseSettings settings, RuntimeContext runtime) {
        ClickHouse clickhouse = new ClickHouse(settings);
        Topology topology = new Topology();
        topology.addSource("spans", Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(), settings.spansTopic());
        SpanTable spans = new SpanTable(settings.database());
        topology.addProcessor("insert-spans", () -> new BatchProcessor<SpanRow>("insert-spans", settings, clickhouse,
                value -> SpanRows.of(OtlpDecoder.traces(value, settings.spansEncoding())), spans::insert, runtime), "spans");
        if (settings.metricsEnabled()) {
            topology.addSource("metrics", Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(), settings.metricsTopic());
            RowTables metrics = new RowTables(settings.database());
            topology.addProcessor("insert-metrics", () -> new BatchProcessor<TableRow>("insert-metrics", settings, clickhouse,
                    value -> MetricRows.of(OtlpDecoder.metrics(value, settings.metricsEncoding())), metrics::insert, runtime), "metrics");
        }
        if (settings.lineageEnabled()) {
            topology.addSource("lineage", Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(), settings.lineageTopic());
            RowTables runs = new RowTables(settings.database());
            topology.addProcessor("insert-lineage-runs", () -> new BatchProcessor<TableRow>("insert-lineage-runs", settings,
                    clickhouse, LineageRunRows::of, runs::insert, runtime), "lineage");
        }
        return topology;
    }
}
