package dev.lineagehub.otel.schema;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The tables of the OpenTelemetry Collector's ClickHouse exporter, with the same names, columns,
 * types, codecs and indexes, so Grafana's ClickHouse data source (trace view, metrics) works on
 * them unchanged: the bloom-filter variant of the exporter's {@code internal/sqltemplates} (the README names the
 * commits they were read at; {@code OtelSchemaTest} holds the facts). Plus what exactly-once needs: deduplication of
 * re-inserted blocks on plain MergeTree ({@code non_replicated_deduplication_window}).
 */
public final class OtelSchema {

    /** Blocks remembered per table for deduplication; a retried batch is recognised within this many inserts. */
    static final int DEDUPLICATION_WINDOW = 10_000;

    public static final String TRACES = "otel_traces";
    public static final String TRACE_ID_TS = "otel_traces_trace_id_ts";
    public static final String TRACE_ID_TS_MV = "otel_traces_trace_id_ts_mv";
    public static final String LOGS = "otel_logs";
    public static final List<String> METRIC_TABLES = List.of("otel_metrics_gauge", "otel_metrics_sum",
            "otel_metrics_histogram", "otel_metrics_exponential_histogram", "otel_metrics_summary");

    private final String database;
    private final Duration ttl;

    /** @param ttl how long rows are kept; zero keeps them for ever (the exporter's default) */
    public OtelSchema(String database, Duration ttl) {
        this.database = database;
        this.ttl = ttl;
    }

    /**
     * The tables rows are inserted into, whose columns must take them. Not the trace-id table: its view fills it, so
     * its types are the view's to convert to (the exporter's {@code SimpleAggregateFunction(min, DateTime)} takes the
     * view's {@code DateTime64(9)}), and comparing them with ours made a false conflict on the exporter's own database.
     */
    public static List<String> insertedTables() {
        List<String> tables = new ArrayList<>(List.of(TRACES, LOGS));
        tables.addAll(METRIC_TABLES);
        return tables;
    }

    /** Every table this consumer writes or Grafana reads. */
    public List<String> tables() {
        return List.of(TRACES, TRACE_ID_TS, TRACE_ID_TS_MV, METRIC_TABLES.get(0), METRIC_TABLES.get(1),
                METRIC_TABLES.get(2), METRIC_TABLES.get(3), METRIC_TABLES.get(4), LOGS);
    }

    /** CREATE statements in dependency order (the view after the tables it reads and writes). */
    public List<String> createStatements() {
        return List.of(
                "CREATE DATABASE IF NOT EXISTS " + database,
                traces(),
                traceIdTs(),
                traceIdTsView(),
                metric("otel_metrics_gauge", """
                            Value Float64 CODEC(ZSTD(1)),
                            Flags UInt32 CODEC(ZSTD(1)),
                        """),
                metric("otel_metrics_sum", """
                            Value Float64 CODEC(ZSTD(1)),
                            Flags UInt32 CODEC(ZSTD(1)),
                            AggregationTemporality Int32 CODEC(ZSTD(1)),
                            IsMonotonic Boolean CODEC(Delta, ZSTD(1)),
                        """),
                metric("otel_metrics_histogram", """
                            Count UInt64 CODEC(Delta, ZSTD(1)),
                            Sum Float64 CODEC(ZSTD(1)),
                            BucketCounts Array(UInt64) CODEC(ZSTD(1)),
                            ExplicitBounds Array(Float64) CODEC(ZSTD(1)),
                            Flags UInt32 CODEC(ZSTD(1)),
                            Min Float64 CODEC(ZSTD(1)),
                            Max Float64 CODEC(ZSTD(1)),
                            AggregationTemporality Int32 CODEC(ZSTD(1)),
                        """),
                metric("otel_metrics_exponential_histogram", """
                            Count UInt64 CODEC(Delta, ZSTD(1)),
                            Sum Float64 CODEC(ZSTD(1)),
                            Scale Int32 CODEC(ZSTD(1)),
                            ZeroCount UInt64 CODEC(ZSTD(1)),
                            PositiveOffset Int32 CODEC(ZSTD(1)),
                            PositiveBucketCounts Array(UInt64) CODEC(ZSTD(1)),
                            NegativeOffset Int32 CODEC(ZSTD(1)),
                            NegativeBucketCounts Array(UInt64) CODEC(ZSTD(1)),
                            Flags UInt32 CODEC(ZSTD(1)),
                            Min Float64 CODEC(ZSTD(1)),
                            Max Float64 CODEC(ZSTD(1)),
                            AggregationTemporality Int32 CODEC(ZSTD(1)),
                        """),
                metric("otel_metrics_summary", """
                            Count UInt64 CODEC(Delta, ZSTD(1)),
                            Sum Float64 CODEC(ZSTD(1)),
                            ValueAtQuantiles Nested (
                                Quantile Float64,
                                Value Float64
                            ) CODEC(ZSTD(1)),
                            Flags UInt32 CODEC(ZSTD(1)),
                        """),
                logs());
    }

    /** The exporter's {@code otel_logs}: Grafana's log queries read it, and join it with traces on TraceId. */
    private String logs() {
        return "CREATE TABLE IF NOT EXISTS " + database + "." + LOGS + """
                 (
                    Timestamp DateTime64(9) CODEC(Delta(8), ZSTD(1)),
                    TimestampTime DateTime DEFAULT toDateTime(Timestamp),
                    TraceId String CODEC(ZSTD(1)),
                    SpanId String CODEC(ZSTD(1)),
                    TraceFlags UInt8,
                    SeverityText LowCardinality(String) CODEC(ZSTD(1)),
                    SeverityNumber UInt8,
                    ServiceName LowCardinality(String) CODEC(ZSTD(1)),
                    Body String CODEC(ZSTD(1)),
                    ResourceSchemaUrl LowCardinality(String) CODEC(ZSTD(1)),
                    ResourceAttributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
                    ScopeSchemaUrl LowCardinality(String) CODEC(ZSTD(1)),
                    ScopeName String CODEC(ZSTD(1)),
                    ScopeVersion LowCardinality(String) CODEC(ZSTD(1)),
                    ScopeAttributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
                    LogAttributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
                    EventName String CODEC(ZSTD(1)),
                    INDEX idx_trace_id TraceId TYPE bloom_filter(0.001) GRANULARITY 1,
                    INDEX idx_res_attr_key mapKeys(ResourceAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
                    INDEX idx_res_attr_value mapValues(ResourceAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
                    INDEX idx_scope_attr_key mapKeys(ScopeAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
                    INDEX idx_scope_attr_value mapValues(ScopeAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
                    INDEX idx_log_attr_key mapKeys(LogAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
                    INDEX idx_log_attr_value mapValues(LogAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
                    INDEX idx_body Body TYPE tokenbf_v1(32768, 3, 0) GRANULARITY 8,
                    INDEX idx_body_ngrambf Body TYPE ngrambf_v1(4, 32768, 3, 0) GRANULARITY 1
                ) ENGINE = MergeTree
                PARTITION BY toDate(TimestampTime)
                PRIMARY KEY (ServiceName, TimestampTime)
                ORDER BY (ServiceName, TimestampTime, Timestamp)
                """ + ttl("TimestampTime") + settings();
    }

    private String traces() {
        return "CREATE TABLE IF NOT EXISTS " + database + "." + TRACES + """
                 (
                    Timestamp DateTime64(9) CODEC(Delta(8), ZSTD(1)),
                    TraceId String CODEC(ZSTD(1)),
                    SpanId String CODEC(ZSTD(1)),
                    ParentSpanId String CODEC(ZSTD(1)),
                    TraceState String CODEC(ZSTD(1)),
                    SpanName LowCardinality(String) CODEC(ZSTD(1)),
                    SpanKind LowCardinality(String) CODEC(ZSTD(1)),
                    ServiceName LowCardinality(String) CODEC(ZSTD(1)),
                    ResourceAttributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
                    ScopeName String CODEC(ZSTD(1)),
                    ScopeVersion String CODEC(ZSTD(1)),
                    SpanAttributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
                    Duration UInt64 CODEC(T64, ZSTD(1)),
                    StatusCode LowCardinality(String) CODEC(ZSTD(1)),
                    StatusMessage String CODEC(ZSTD(1)),
                    Events Nested (
                        Timestamp DateTime64(9),
                        Name LowCardinality(String),
                        Attributes Map(LowCardinality(String), String)
                    ) CODEC(ZSTD(1)),
                    Links Nested (
                        TraceId String,
                        SpanId String,
                        TraceState String,
                        Attributes Map(LowCardinality(String), String)
                    ) CODEC(ZSTD(1)),
                    ResourceAttributeItems Array(String) ALIAS arrayMap(kv -> concat(kv.1, '=', kv.2),
                        CAST(ResourceAttributes, 'Array(Tuple(String, String))')),
                    SpanAttributeItems Array(String) ALIAS arrayMap(kv -> concat(kv.1, '=', kv.2),
                        CAST(SpanAttributes, 'Array(Tuple(String, String))')),
                    INDEX idx_trace_id TraceId TYPE bloom_filter(0.001) GRANULARITY 1,
                    INDEX idx_res_attr_key mapKeys(ResourceAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
                    INDEX idx_res_attr_value mapValues(ResourceAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
                    INDEX idx_span_attr_key mapKeys(SpanAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
                    INDEX idx_span_attr_value mapValues(SpanAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
                    INDEX idx_duration Duration TYPE minmax GRANULARITY 1,
                    INDEX idx_lower_span_name lower(SpanName) TYPE tokenbf_v1(32768, 3, 0) GRANULARITY 8
                ) ENGINE = MergeTree
                PARTITION BY toDate(Timestamp)
                PRIMARY KEY (ServiceName, SpanName, toDateTime(Timestamp))
                ORDER BY (ServiceName, SpanName, toDateTime(Timestamp), Timestamp)
                """ + ttl("toDateTime(Timestamp)") + settings();
    }

    private String traceIdTs() {
        return "CREATE TABLE IF NOT EXISTS " + database + "." + TRACE_ID_TS + """
                 (
                    TraceId String CODEC(ZSTD(1)),
                    Start SimpleAggregateFunction(min, DateTime) CODEC(ZSTD(1)),
                    End SimpleAggregateFunction(max, DateTime) CODEC(ZSTD(1))
                ) ENGINE = MergeTree
                PARTITION BY toStartOfWeek(Start)
                ORDER BY (TraceId)
                """ + ttl("toDateTime(Start)") + settings();
    }

    private String traceIdTsView() {
        return "CREATE MATERIALIZED VIEW IF NOT EXISTS " + database + "." + TRACE_ID_TS_MV
                + " TO " + database + "." + TRACE_ID_TS + """
                 AS SELECT
                    TraceId,
                    min(Timestamp) AS Start,
                    max(Timestamp) AS End
                FROM """ + " " + database + "." + TRACES + """
                 WHERE TraceId != ''
                GROUP BY TraceId
                """;
    }

    private String metric(String table, String valueColumns) {
        return "CREATE TABLE IF NOT EXISTS " + database + "." + table + """
                 (
                    ResourceAttributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
                    ResourceSchemaUrl String CODEC(ZSTD(1)),
                    ScopeName String CODEC(ZSTD(1)),
                    ScopeVersion String CODEC(ZSTD(1)),
                    ScopeAttributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
                    ScopeDroppedAttrCount UInt32 CODEC(ZSTD(1)),
                    ScopeSchemaUrl String CODEC(ZSTD(1)),
                    ServiceName LowCardinality(String) CODEC(ZSTD(1)),
                    MetricName String CODEC(ZSTD(1)),
                    MetricDescription String CODEC(ZSTD(1)),
                    MetricUnit String CODEC(ZSTD(1)),
                    Attributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
                    StartTimeUnix DateTime64(9) CODEC(Delta, ZSTD(1)),
                    TimeUnix DateTime64(9) CODEC(Delta, ZSTD(1)),
                """ + valueColumns + """
                    Exemplars Nested (
                        FilteredAttributes Map(LowCardinality(String), String),
                        TimeUnix DateTime64(9),
                        Value Float64,
                        SpanId String,
                        TraceId String
                    ) CODEC(ZSTD(1)),
                    INDEX idx_res_attr_key mapKeys(ResourceAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
                    INDEX idx_res_attr_value mapValues(ResourceAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
                    INDEX idx_scope_attr_key mapKeys(ScopeAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
                    INDEX idx_scope_attr_value mapValues(ScopeAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
                    INDEX idx_attr_key mapKeys(Attributes) TYPE bloom_filter(0.01) GRANULARITY 1,
                    INDEX idx_attr_value mapValues(Attributes) TYPE bloom_filter(0.01) GRANULARITY 1
                ) ENGINE = MergeTree
                PARTITION BY toDate(TimeUnix)
                ORDER BY (ServiceName, MetricName, Attributes, toUnixTimestamp64Nano(TimeUnix))
                """ + ttl("toDateTime(TimeUnix)") + settings();
    }

    private String ttl(String column) {
        return ttl.isZero() ? "" : "TTL " + column + " + toIntervalSecond(" + ttl.toSeconds() + ")\n";
    }

    private static String settings() {
        return "SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1, non_replicated_deduplication_window = "
                + DEDUPLICATION_WINDOW;
    }
}
