package dev.lineagehub.otel.topology;

import dev.lineagehub.delivery.DeliveryService;
import dev.lineagehub.otel.config.ClickHouseSettings;
import dev.lineagehub.otel.decode.LineageRunRows;
import dev.lineagehub.otel.decode.MetricRows;
import dev.lineagehub.otel.decode.OtlpDecoder;
import dev.lineagehub.otel.decode.SpanRow;
import dev.lineagehub.otel.decode.SpanRows;
import dev.lineagehub.otel.decode.TableRow;
import dev.lineagehub.otel.sink.BatchInserter;
import dev.lineagehub.otel.sink.ClickHouse;
import dev.lineagehub.otel.sink.ClickHouseSink;
import dev.lineagehub.otel.sink.RowTables;
import dev.lineagehub.otel.sink.SpanTable;
import dev.lineagehub.runtime.DaemonThreads;
import dev.lineagehub.runtime.RuntimeContext;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * OTLP spans topic → batches per partition → {@code otel_traces}; OTLP metrics topic → batches per
 * partition → the five {@code otel_metrics_*} tables; OpenLineage topic → {@code lineage_runs}.
 * Undecodable records go to the dead-letter topic.
 */
public final class OtelTopology {

    /** Threads running inserts: JDBC blocks, so they get their own, as many as the default stream threads. */
    private static final int INSERT_THREADS = 2;

    private OtelTopology() {
    }

    public static Topology build(ClickHouseSettings settings, RuntimeContext runtime) {
        ClickHouse clickhouse = new ClickHouse(settings);
        ExecutorService inserts = Executors.newFixedThreadPool(INSERT_THREADS, DaemonThreads.named("otel-insert"));
        runtime.closeOnShutdown(inserts::shutdownNow);
        DeliveryService<BatchInserter.Queued> service =
                new DeliveryService<>("ClickHouse", new ClickHouseSink(clickhouse, inserts), runtime);
        BatchInserter.Shared shared = new BatchInserter.Shared(clickhouse, service.health(), runtime.retryPolicy(), inserts,
                runtime.timer(), settings.batchRows(), settings.batchMaxAge());
        // Records a partition may have queued: enough for a full batch of small records, bounded so that
        // a backlog does not fill the heap with decoded rows.
        int slots = Math.max(1_000, settings.batchRows() / 10);
        Topology topology = new Topology();
        topology.addSource("spans", Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(), settings.spansTopic());
        SpanTable spans = new SpanTable(settings.database());
        topology.addProcessor("insert-spans", () -> new InsertProcessor<SpanRow>("insert-spans", settings.spansTopic(), service,
                shared, spans::insert, value -> SpanRows.of(OtlpDecoder.traces(value, settings.spansEncoding())), slots), "spans");
        if (settings.metricsEnabled()) {
            topology.addSource("metrics", Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(), settings.metricsTopic());
            RowTables metrics = new RowTables(settings.database());
            topology.addProcessor("insert-metrics", () -> new InsertProcessor<TableRow>("insert-metrics", settings.metricsTopic(),
                    service, shared, metrics::insert, value -> MetricRows.of(OtlpDecoder.metrics(value, settings.metricsEncoding())),
                    slots), "metrics");
        }
        if (settings.lineageEnabled()) {
            topology.addSource("lineage", Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(), settings.lineageTopic());
            RowTables runs = new RowTables(settings.database());
            topology.addProcessor("insert-lineage-runs", () -> new InsertProcessor<TableRow>("insert-lineage-runs",
                    settings.lineageTopic(), service, shared, runs::insert, LineageRunRows::of, slots), "lineage");
        }
        return topology;
    }
}
