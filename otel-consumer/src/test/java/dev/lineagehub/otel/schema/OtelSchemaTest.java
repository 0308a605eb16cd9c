package dev.lineagehub.otel.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lineagehub.testing.clickhouse.ClickHouseHttpFixture;
import dev.lineagehub.otel.testing.OtelClickHouse;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

/** The exporter's schema on the real ClickHouse engine, through the production driver. */
class OtelSchemaTest {

    private static ClickHouseHttpFixture clickhouse;

    @BeforeAll
    static void createSchema() throws Exception {
        clickhouse = OtelClickHouse.withSchema();
    }

    @AfterAll
    static void stop() {
        clickhouse.close();
    }

    @Test
    void createsEveryTableOfTheExporterWithItsTypes() {
        assertThat(clickhouse.query("SELECT name FROM system.tables WHERE database = 'otel' ORDER BY name").lines().toList())
                .containsExactlyInAnyOrderElementsOf(new OtelSchema("otel", Duration.ZERO).tables());
        assertThat(clickhouse.query("SELECT type FROM system.columns WHERE database = 'otel' AND table = 'otel_traces' "
                + "AND name IN ('Timestamp', 'SpanAttributes', 'Events.Timestamp', 'Duration') ORDER BY name").lines().toList())
                .containsExactly("UInt64", "Array(DateTime64(9))", "Map(LowCardinality(String), String)", "DateTime64(9)");
        assertThat(clickhouse.query("SHOW CREATE TABLE otel.otel_traces")).contains("non_replicated_deduplication_window = 10000");
    }

    /**
     * The facts of the exporter's templates (the README names the commits they were read at), as ClickHouse reports them: keys and
     * partitioning of every table, every skip index, and the trace tables' columns with codecs and alias expressions.
     */
    @Test
    void theCreatedTablesHaveTheExporterTemplatesKeysIndexesAndCodecs() {
        String metricKey = "toDate(TimeUnix)\tServiceName, MetricName, Attributes, toUnixTimestamp64Nano(TimeUnix)"
                + "\tServiceName, MetricName, Attributes, toUnixTimestamp64Nano(TimeUnix)";
        assertThat(clickhouse.query("SELECT name, partition_key, sorting_key, primary_key FROM system.tables WHERE database = 'otel' "
                + "AND engine = 'MergeTree' ORDER BY name FORMAT TSV").lines().toList()).containsExactly(
                "otel_logs\ttoDate(TimestampTime)\tServiceName, TimestampTime, Timestamp\tServiceName, TimestampTime",
                "otel_metrics_exponential_histogram\t" + metricKey, "otel_metrics_gauge\t" + metricKey,
                "otel_metrics_histogram\t" + metricKey, "otel_metrics_sum\t" + metricKey, "otel_metrics_summary\t" + metricKey,
                "otel_traces\ttoDate(Timestamp)\tServiceName, SpanName, toDateTime(Timestamp), Timestamp"
                        + "\tServiceName, SpanName, toDateTime(Timestamp)",
                "otel_traces_trace_id_ts\ttoStartOfWeek(Start)\t(TraceId)\t(TraceId)");
        List<String> attributeIndexes = List.of("idx_res_attr_key\tbloom_filter(0.01)\tmapKeys(ResourceAttributes)\t1",
                "idx_res_attr_value\tbloom_filter(0.01)\tmapValues(ResourceAttributes)\t1");
        List<String> scopeIndexes = List.of("idx_scope_attr_key\tbloom_filter(0.01)\tmapKeys(ScopeAttributes)\t1",
                "idx_scope_attr_value\tbloom_filter(0.01)\tmapValues(ScopeAttributes)\t1");
        for (String metric : OtelSchema.METRIC_TABLES) {
            assertThat(indexes(metric)).as(metric).containsExactlyInAnyOrderElementsOf(concat(attributeIndexes, scopeIndexes, List.of(
                    "idx_attr_key\tbloom_filter(0.01)\tmapKeys(Attributes)\t1", "idx_attr_value\tbloom_filter(0.01)\tmapValues(Attributes)\t1")));
        }
        assertThat(indexes(OtelSchema.LOGS)).containsExactlyInAnyOrderElementsOf(concat(attributeIndexes, scopeIndexes, List.of(
                "idx_trace_id\tbloom_filter(0.001)\tTraceId\t1", "idx_log_attr_key\tbloom_filter(0.01)\tmapKeys(LogAttributes)\t1",
                "idx_log_attr_value\tbloom_filter(0.01)\tmapValues(LogAttributes)\t1", "idx_body\ttokenbf_v1(32768, 3, 0)\tBody\t8",
                "idx_body_ngrambf\tngrambf_v1(4, 32768, 3, 0)\tBody\t1")));
        assertThat(indexes(OtelSchema.TRACES)).containsExactlyInAnyOrderElementsOf(concat(attributeIndexes, List.of(
                "idx_trace_id\tbloom_filter(0.001)\tTraceId\t1", "idx_span_attr_key\tbloom_filter(0.01)\tmapKeys(SpanAttributes)\t1",
                "idx_span_attr_value\tbloom_filter(0.01)\tmapValues(SpanAttributes)\t1", "idx_duration\tminmax\tDuration\t1",
                "idx_lower_span_name\ttokenbf_v1(32768, 3, 0)\tlower(SpanName)\t8")));
        assertThat(indexes(OtelSchema.TRACE_ID_TS)).isEmpty();
        assertThat(clickhouse.query("SELECT concat(name, '|', compression_codec, '|', default_kind) FROM system.columns WHERE database = 'otel' "
                + "AND table = 'otel_traces' AND name IN ('Timestamp', 'Duration', 'ResourceAttributeItems', 'SpanAttributeItems') "
                + "ORDER BY name FORMAT TSV").lines().toList()).containsExactly("Duration|CODEC(T64, ZSTD(1))|",
                "ResourceAttributeItems||ALIAS", "SpanAttributeItems||ALIAS", "Timestamp|CODEC(Delta(8), ZSTD(1))|");
        assertThat(clickhouse.query("SELECT name, type, compression_codec FROM system.columns WHERE database = 'otel' "
                + "AND table = 'otel_traces_trace_id_ts' ORDER BY position FORMAT TSV").lines().toList()).containsExactly(
                "TraceId\tString\tCODEC(ZSTD(1))", "Start\tSimpleAggregateFunction(min, DateTime)\tCODEC(ZSTD(1))",
                "End\tSimpleAggregateFunction(max, DateTime)\tCODEC(ZSTD(1))");
    }

    private static List<String> indexes(String table) {
        return clickhouse.query("SELECT name, type_full, expr, granularity FROM system.data_skipping_indices WHERE database = 'otel' "
                + "AND table = '" + table + "' FORMAT TSV").lines().toList();
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        return java.util.Arrays.stream(lists).flatMap(List::stream).toList();
    }

    @Test
    void grafanasTraceLookupFindsATraceThroughTheTraceIdTable() throws Exception {
        String traceId = "5b8efff798038103d269b633813fc60c";
        clickhouse.query("INSERT INTO otel.otel_traces (Timestamp, TraceId, SpanId, ParentSpanId, SpanName, SpanKind, "
                + "ServiceName, Duration, StatusCode) VALUES "
                + "(now64(9), '" + traceId + "', 'eee19b7ec3c1b174', '', 'GET /orders', 'Server', 'checkout', 1500000, 'Ok'), "
                + "(now64(9), '" + traceId + "', 'eee19b7ec3c1b175', 'eee19b7ec3c1b174', 'SELECT orders', 'Client', 'checkout', 900000, 'Ok')");
        // The query Grafana's ClickHouse data source runs to open a trace by id.
        String lookup = "WITH '" + traceId + "' AS trace_id, "
                + "(SELECT min(Start) FROM otel.otel_traces_trace_id_ts WHERE TraceId = trace_id) AS trace_start, "
                + "(SELECT max(End) + 1 FROM otel.otel_traces_trace_id_ts WHERE TraceId = trace_id) AS trace_end "
                + "SELECT TraceId AS traceID, SpanId AS spanID, ParentSpanId AS parentSpanID, ServiceName AS serviceName, "
                + "SpanName AS operationName, Timestamp AS startTime, multiply(Duration, 0.000001) AS duration "
                + "FROM otel.otel_traces WHERE traceID = trace_id AND startTime >= trace_start AND startTime <= trace_end "
                + "AND duration > 0 ORDER BY startTime";
        try (Connection connection = OtelClickHouse.connect(clickhouse);
             Statement statement = connection.createStatement();
             ResultSet spans = statement.executeQuery(lookup)) {
            assertThat(spans.next()).isTrue();
            assertThat(spans.getString("operationName")).isIn("GET /orders", "SELECT orders");
            assertThat(spans.next()).isTrue();
            assertThat(spans.next()).isFalse();
        }
    }

    @Test
    void aBlockInsertedAgainWithItsDeduplicationTokenIsStoredOnce() {
        String insert = "INSERT INTO otel.otel_metrics_gauge (ServiceName, MetricName, TimeUnix, Value) "
                + "SETTINGS insert_deduplication_token = 'otlp_metrics-0-100-199' VALUES ('checkout', 'queue.depth', now64(9), 42)";
        clickhouse.query(insert);
        clickhouse.query(insert);
        assertThat(clickhouse.query("SELECT count() FROM otel.otel_metrics_gauge WHERE MetricName = 'queue.depth'")).isEqualTo("1");
    }
}
