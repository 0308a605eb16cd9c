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
