package dev.lineagehub.otel.decode;

import dev.lineagehub.otlp.Encoding;
import dev.lineagehub.otlp.OtlpDecoder;
import dev.lineagehub.otlp.UndecodableRecordException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

/** Ids as the exporter writes them, and the requests the Collector refuses for their ids. */
class HexIdsTest {

    private static ExportTraceServiceRequest spans(Span.Builder span) {
        return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .addScopeSpans(ScopeSpans.newBuilder().addSpans(span))).build();
    }

    private static ByteString bytes(int length, int fill) {
        byte[] id = new byte[length];
        java.util.Arrays.fill(id, (byte) fill);
        return ByteString.copyFrom(id);
    }

    @Test
    void allZeroAndAbsentSpanIdsAreEmpty() {
        SpanRow row = SpanRows.of(spans(Span.newBuilder().setTraceId(bytes(16, 0)).setSpanId(bytes(8, 0xab)).setName("x"))).get(0);
        assertThat(row.traceId()).isEmpty();
        assertThat(row.spanId()).isEqualTo("abababababababab");
        assertThat(row.parentSpanId()).isEmpty();
    }

    @Test
    void idsOfTheWrongLengthAreRefusedAsTheCollectorRefusesThem() {
        assertThatThrownBy(() -> SpanRows.of(spans(Span.newBuilder().setTraceId(bytes(15, 1)).setSpanId(bytes(8, 1)))))
                .isInstanceOf(UndecodableRecordException.class).hasMessageContaining("trace id of 15 bytes");
        assertThatThrownBy(() -> SpanRows.of(spans(Span.newBuilder().setTraceId(bytes(16, 1)).setSpanId(bytes(8, 1))
                .addLinks(Span.Link.newBuilder().setTraceId(bytes(16, 2)).setSpanId(bytes(4, 2))))))
                .isInstanceOf(UndecodableRecordException.class).hasMessageContaining("span id of 4 bytes");
    }

    @Test
    void aMetricsRequestReadAsSpansIsRefusedNotStoredAsAGarbageSpan() throws Exception {
        byte[] metrics = ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
                .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(Metric.newBuilder().setName("http.server.requests")
                        .setSum(Sum.newBuilder().setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                                .addDataPoints(NumberDataPoint.newBuilder().setAsInt(5))))))
                .build().toByteArray();
        assertThatThrownBy(() -> SpanRows.of(OtlpDecoder.traces(metrics, Encoding.OTLP_PROTO)))
                .isInstanceOf(UndecodableRecordException.class);
    }

    @Test
    void exemplarsWithoutIdsGetTheExportersZeroIds() {
        ExportMetricsServiceRequest request = ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
                .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(Metric.newBuilder().setName("g").setGauge(Gauge.newBuilder()
                        .addDataPoints(NumberDataPoint.newBuilder().setAsDouble(1)
                                .addExemplars(Exemplar.newBuilder().setAsDouble(1))
                                .addExemplars(Exemplar.newBuilder().setAsDouble(2).setTraceId(bytes(16, 0x0f)).setSpanId(bytes(8, 0x0f))))))))
                .build();
        Map<String, Object> row = MetricRows.of(request).get(0).columns();
        assertThat(row.get("Exemplars.TraceId")).isEqualTo(List.of("0".repeat(32), "0f".repeat(16)));
        assertThat(row.get("Exemplars.SpanId")).isEqualTo(List.of("0".repeat(16), "0f".repeat(8)));
    }

    @Test
    void anEmptyProtobufRecordIsAnEmptyRequest() {
        assertThat(SpanRows.of(OtlpDecoder.traces(new byte[0], Encoding.OTLP_PROTO))).isEmpty();
        assertThatThrownBy(() -> OtlpDecoder.traces(new byte[0], Encoding.OTLP_JSON)).isInstanceOf(UndecodableRecordException.class);
    }
}
