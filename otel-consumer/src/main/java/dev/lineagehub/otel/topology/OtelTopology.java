package dev.lineagehub.otel.topology;

import dev.lineagehub.delivery.DeliveryService;
import dev.lineagehub.otel.config.ClickHouseSettings;
import dev.lineagehub.otel.decode.LineageRunRows;
import dev.lineagehub.otel.decode.LogRows;
import dev.lineagehub.otel.decode.MetricRows;
import dev.lineagehub.otlp.OtlpDecoder;
import dev.lineagehub.otel.decode.SpanRows;
import dev.lineagehub.otel.sink.BatchInserter;
import dev.lineagehub.otel.sink.ClickHouse;
import dev.lineagehub.otel.sink.ClickHouseSink;
import dev.lineagehub.otel.sink.RowTables;
import dev.lineagehub.otel.sink.SpanTable;
import dev.lineagehub.runtime.DaemonThreads;
import dev.lineagehub.runtime.RuntimeContext;

import dev.lineagehub.otel.schema.SchemaReconciler;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * OTLP spans topic → batches per partition → {@code otel_traces}; OTLP metrics topic → batches per
 * partition → the five {@code otel_metrics_*} tables; OTLP logs topic → {@code otel_logs}; OpenLineage topic → {@code lineage_runs}.
 * Undecodable records go to the dead-letter topic.
 */
public final class OtelTopology {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(OtelTopology.class);

    /** Threads running inserts: JDBC blocks, so they get their own, as many as the default stream threads. */
    private static final int INSERT_THREADS = 2;

    private OtelTopology() {
    }

    public static Topology build(ClickHouseSettings settings, RuntimeContext runtime) {
        ClickHouse clickhouse = new ClickHouse(settings);
        checkSchemaAtStart(clickhouse, settings);
        ExecutorService insertThreads = Executors.newFixedThreadPool(INSERT_THREADS, DaemonThreads.named("otel-insert"));
        runtime.closeOnShutdown(insertThreads::shutdownNow);
        DeliveryService<BatchInserter.Queued> service =
                new DeliveryService<>("ClickHouse", new ClickHouseSink(clickhouse, insertThreads), runtime);
        BatchInserter.Shared shared = new BatchInserter.Shared(clickhouse, service.health(), runtime.retryPolicy(), insertThreads,
                runtime.timer(), settings.batchRows(), settings.batchBytes(), settings.batchMaxAge(), runtime.metrics()::retried, runtime::topicId,
                System::nanoTime);
        // Records a partition may have queued: enough for a full batch of small records; their bytes, across the
        // instance's partitions, are what bounds the heap a backlog fills with decoded rows.
        int slots = Math.max(1_000, settings.batchRows() / 10);
        runtime.budget().boundBytes(settings.queueBytes());
        Topology topology = new Topology();
        Inserts inserts = new Inserts(topology, service, shared, slots);
        SpanTable spans = new SpanTable(settings.database());
        RowTables rows = new RowTables(settings.database());
        inserts.add("spans", "insert-spans", settings.spansTopic(), spans,
                value -> SpanRows.of(OtlpDecoder.traces(value, settings.spansEncoding())));
        if (settings.metricsEnabled()) {
            inserts.add("metrics", "insert-metrics", settings.metricsTopic(), rows,
                    value -> MetricRows.of(OtlpDecoder.metrics(value, settings.metricsEncoding())));
        }
        if (settings.logsEnabled()) {
            inserts.add("logs", "insert-logs", settings.logsTopic(), rows,
                    value -> LogRows.of(OtlpDecoder.logs(value, settings.logsEncoding())));
        }
        if (settings.lineageEnabled()) {
            inserts.add("lineage", "insert-lineage-runs", settings.lineageTopic(), rows, LineageRunRows::of);
        }
        return topology;
    }

    /**
     * Tables that cannot take the rows refuse the start, like an invalid setting; a ClickHouse that
     * cannot be reached yet does not: the schema is then checked at the first insert.
     */
    private static void checkSchemaAtStart(ClickHouse clickhouse, ClickHouseSettings settings) {
        try (Connection ignored = clickhouse.connect()) {
            // connecting creates, checks and completes the schema
        } catch (SchemaReconciler.SchemaConflictException e) {
            throw new ConfigException(ClickHouseSettings.DATABASE, settings.database(), e.getMessage());
        } catch (SQLException | RuntimeException e) {
            LOG.warn("ClickHouse is not reachable at start ({}); its schema is checked at the first insert", e.getMessage());
        }
    }

    /** Adds a topic read into its tables, each partition through its own {@link InsertProcessor}. */
    private record Inserts(Topology topology, DeliveryService<BatchInserter.Queued> service, BatchInserter.Shared shared, int slots) {

        <R> void add(String source, String processor, String topic, BatchInserter.Table<R> table, InsertProcessor.Decoder<R> decoder) {
            topology.addSource(source, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(), topic);
            topology.addProcessor(processor, () -> new InsertProcessor<>(processor, topic, service, shared, table, decoder, slots), source);
        }
    }
}
