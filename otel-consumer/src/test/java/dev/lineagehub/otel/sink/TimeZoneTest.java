package dev.lineagehub.otel.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lineagehub.otel.decode.MetricRows;
import dev.lineagehub.otel.decode.SpanRow;
import dev.lineagehub.testing.clickhouse.ClickHouseHttpFixture;
import dev.lineagehub.otel.testing.OtelClickHouse;

import com.google.protobuf.ByteString;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;

/** Every time column is UTC epoch time whatever the JVM's own time zone is (here New York's, −5 h). */
class TimeZoneTest {

    private static final long T = 1_763_618_400_123_456_789L;
    private static ClickHouseHttpFixture clickhouse;
    private TimeZone jvmZone;

    @BeforeAll
    static void start() throws Exception {
        clickhouse = OtelClickHouse.withSchema();
    }

    @AfterAll
    static void stop() {
        clickhouse.close();
    }

    @BeforeEach
    void newYork() {
        jvmZone = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("America/New_York"));
    }

    @AfterEach
    void restore() {
        TimeZone.setDefault(jvmZone);
    }

    @Test
    void spanAndEventTimestamps() throws Exception {
        SpanRow row = new SpanRow(T, "5b8efff798038103d269b633813fc60c", "00000000000000a1", "", "", "GET /orders", "Server",
                "tz", Map.of(), "", "", Map.of(), 1_000L, "Unset", "",
                List.of(new SpanRow.Event(T + 1_000, "exception", Map.of())), List.of());
        try (Connection connection = OtelClickHouse.connect(clickhouse)) {
            OtelClickHouse.insert(connection, new SpanTable("otel"), List.of(row), "tz-span");
        }
        assertThat(clickhouse.query("SELECT toUnixTimestamp64Nano(Timestamp), toUnixTimestamp64Nano(Events.Timestamp[1]) "
                + "FROM otel.otel_traces WHERE ServiceName = 'tz'")).isEqualTo(T + "\t" + (T + 1_000));
    }

    @Test
    void metricStartTimeTimeAndExemplarTime() throws Exception {
        ExportMetricsServiceRequest request = ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
                .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(Metric.newBuilder().setName("tz.gauge").setGauge(Gauge.newBuilder()
                        .addDataPoints(NumberDataPoint.newBuilder().setStartTimeUnixNano(T - 5).setTimeUnixNano(T).setAsDouble(1)
                                .addExemplars(Exemplar.newBuilder().setTimeUnixNano(T + 7).setAsDouble(1)
                                        .setSpanId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))))))))
                .build();
        try (Connection connection = OtelClickHouse.connect(clickhouse)) {
            OtelClickHouse.insert(connection, new RowTables("otel"), MetricRows.of(request), "tz-metric");
        }
        assertThat(clickhouse.query("SELECT toUnixTimestamp64Nano(StartTimeUnix), toUnixTimestamp64Nano(TimeUnix), "
                + "toUnixTimestamp64Nano(Exemplars.TimeUnix[1]) FROM otel.otel_metrics_gauge WHERE MetricName = 'tz.gauge'"))
                .isEqualTo((T - 5) + "\t" + T + "\t" + (T + 7));
    }
}
