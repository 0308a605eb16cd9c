package dev.lineagehub.otel.decode;

import dev.lineagehub.otlp.Encoding;
import dev.lineagehub.otlp.OtlpDecoder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lineagehub.otel.sink.RowTables;
import dev.lineagehub.testing.clickhouse.ClickHouseHttpFixture;
import dev.lineagehub.otel.testing.OtelClickHouse;

import com.google.protobuf.ByteString;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.sql.Connection;
import java.util.HexFormat;
import java.util.List;

/** All five metric kinds, from the official builders and from OTLP/JSON, into the exporter's tables on the real engine. */
class MetricRowsTest {

    private static final long T = 1_763_618_400_000_000_000L;
    private static ClickHouseHttpFixture clickhouse;

    @BeforeAll
    static void start() throws Exception {
        clickhouse = OtelClickHouse.withSchema();
    }

    @AfterAll
    static void stop() {
        clickhouse.close();
    }

    @Test
    void jsonAndProtoOfTheSameMetricsGiveTheSameRows() throws Exception {
        byte[] json;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("otlp/metrics.json")) {
            json = in.readAllBytes();
        }
        List<TableRow> fromJson = MetricRows.of(OtlpDecoder.metrics(json, Encoding.OTLP_JSON));
        List<TableRow> fromProto = MetricRows.of(OtlpDecoder.metrics(sample().toByteArray(), Encoding.OTLP_PROTO));
        assertThat(fromJson).extracting(TableRow::table).containsExactly("otel_metrics_gauge", "otel_metrics_sum",
                "otel_metrics_histogram", "otel_metrics_exponential_histogram", "otel_metrics_summary");
        assertThat(fromJson).isEqualTo(fromProto);
    }

    @Test
    void everyKindLandsInItsTableWithItsValues() throws Exception {
        try (Connection connection = OtelClickHouse.connect(clickhouse)) {
            OtelClickHouse.insert(connection, new RowTables("otel"), MetricRows.of(sample()), "otlp_metrics-0-0-0");
        }
        assertThat(clickhouse.query("SELECT ServiceName, Value, Attributes['queue'], MetricUnit FROM otel.otel_metrics_gauge"))
                .isEqualTo("checkout\t42\torders\t{item}");
        assertThat(clickhouse.query("SELECT Value, AggregationTemporality, IsMonotonic, Exemplars.TraceId[1] FROM otel.otel_metrics_sum"))
                .isEqualTo("1200\t2\ttrue\t5b8efff798038103d269b633813fc60c");
        assertThat(clickhouse.query("SELECT Count, Sum, BucketCounts, ExplicitBounds, Min, Max FROM otel.otel_metrics_histogram"))
                .isEqualTo("3\t57.5\t[1,2,0]\t[10,50]\t4.5\t33");
        assertThat(clickhouse.query("SELECT Scale, ZeroCount, PositiveOffset, PositiveBucketCounts FROM otel.otel_metrics_exponential_histogram"))
                .isEqualTo("3\t1\t2\t[1,2]");
        assertThat(clickhouse.query("SELECT Count, ValueAtQuantiles.Quantile, ValueAtQuantiles.Value FROM otel.otel_metrics_summary"))
                .isEqualTo("10\t[0.5,0.99]\t[9,40]");
    }

    /** The metrics of otlp/metrics.json, built with the official opentelemetry-proto builders. */
    private static ExportMetricsServiceRequest sample() {
        return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(kv("service.name", "checkout")))
                .addScopeMetrics(ScopeMetrics.newBuilder()
                        .setScope(InstrumentationScope.newBuilder().setName("io.opentelemetry.runtime-telemetry").setVersion("2.10.0"))
                        .addMetrics(Metric.newBuilder().setName("queue.depth").setUnit("{item}").setDescription("Items waiting")
                                .setGauge(Gauge.newBuilder().addDataPoints(NumberDataPoint.newBuilder().setAsInt(42).setTimeUnixNano(T)
                                        .addAttributes(kv("queue", "orders")))))
                        .addMetrics(Metric.newBuilder().setName("http.server.requests").setUnit("{request}")
                                .setSum(Sum.newBuilder().setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                                        .setIsMonotonic(true).addDataPoints(NumberDataPoint.newBuilder().setAsInt(1200)
                                                .setStartTimeUnixNano(T - 60_000_000_000L).setTimeUnixNano(T)
                                                .addExemplars(Exemplar.newBuilder().setAsDouble(1.0).setTimeUnixNano(T - 1_000_000_000L)
                                                        .setTraceId(id("5b8efff798038103d269b633813fc60c")).setSpanId(id("eee19b7ec3c1b174"))))))
                        .addMetrics(Metric.newBuilder().setName("http.server.duration").setUnit("ms")
                                .setHistogram(Histogram.newBuilder().setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
                                        .addDataPoints(HistogramDataPoint.newBuilder().setCount(3).setSum(57.5)
                                                .addAllBucketCounts(List.of(1L, 2L, 0L)).addAllExplicitBounds(List.of(10.0, 50.0))
                                                .setMin(4.5).setMax(33.0).setStartTimeUnixNano(T - 60_000_000_000L).setTimeUnixNano(T))))
                        .addMetrics(Metric.newBuilder().setName("db.client.duration").setUnit("ms")
                                .setExponentialHistogram(ExponentialHistogram.newBuilder()
                                        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                                        .addDataPoints(ExponentialHistogramDataPoint.newBuilder().setCount(4).setSum(10.5).setScale(3)
                                                .setZeroCount(1)
                                                .setPositive(ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(2)
                                                        .addAllBucketCounts(List.of(1L, 2L)))
                                                .setNegative(ExponentialHistogramDataPoint.Buckets.newBuilder())
                                                .setMin(0.0).setMax(5.0).setTimeUnixNano(T))))
                        .addMetrics(Metric.newBuilder().setName("gc.pause").setUnit("ms")
                                .setSummary(Summary.newBuilder().addDataPoints(SummaryDataPoint.newBuilder().setCount(10).setSum(123.0)
                                        .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.5).setValue(9.0))
                                        .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.99).setValue(40.0))
                                        .setTimeUnixNano(T))))))
                .build();
    }

    private static KeyValue kv(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    private static ByteString id(String hex) {
        return ByteString.copyFrom(HexFormat.of().parseHex(hex));
    }
}
