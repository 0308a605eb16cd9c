package dev.lineagehub.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
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

import org.junit.jupiter.api.Test;

class ExportRequestsTest {

    private static final NumberDataPoint POINT = NumberDataPoint.newBuilder().setAsDouble(1).build();

    @Test
    void aMetricsRequestCostsItsDataPointsOfEveryKind() {
        ExportMetricsServiceRequest request = metrics(
                Metric.newBuilder().setName("g").setGauge(Gauge.newBuilder().addDataPoints(POINT).addDataPoints(POINT)).build(),
                Metric.newBuilder().setName("s").setSum(Sum.newBuilder().addDataPoints(POINT)).build(),
                Metric.newBuilder().setName("h").setHistogram(Histogram.newBuilder()
                        .addDataPoints(HistogramDataPoint.getDefaultInstance()).addDataPoints(HistogramDataPoint.getDefaultInstance())
                        .addDataPoints(HistogramDataPoint.getDefaultInstance())).build(),
                Metric.newBuilder().setName("e").setExponentialHistogram(ExponentialHistogram.newBuilder()
                        .addDataPoints(ExponentialHistogramDataPoint.getDefaultInstance())).build(),
                Metric.newBuilder().setName("q").setSummary(Summary.newBuilder()
                        .addDataPoints(SummaryDataPoint.getDefaultInstance()).addDataPoints(SummaryDataPoint.getDefaultInstance())).build(),
                Metric.newBuilder().setName("none").build());
        assertThat(ExportRequests.dataPoints(request)).isEqualTo(2 + 1 + 3 + 1 + 2);
    }

    @Test
    void anExemplarsIdOfTheWrongLengthRefusesTheRequest() {
        Exemplar exemplar = Exemplar.newBuilder().setTraceId(ByteString.copyFrom(new byte[15])).build();
        ExportMetricsServiceRequest request = metrics(Metric.newBuilder().setName("s").setSum(Sum.newBuilder()
                .addDataPoints(POINT.toBuilder().addExemplars(exemplar))).build());
        assertThatThrownBy(() -> ExportRequests.dataPoints(request)).isInstanceOf(UndecodableRecordException.class)
                .hasMessageContaining("exemplar trace id of 15 bytes");
    }

    @Test
    void aLogsRequestCostsItsRecordsAndChecksTheirIds() {
        ExportLogsServiceRequest request = ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
                .addScopeLogs(ScopeLogs.newBuilder().addLogRecords(LogRecord.getDefaultInstance())
                        .addLogRecords(LogRecord.newBuilder().setSpanId(ByteString.copyFrom(new byte[8]))))).build();
        assertThat(ExportRequests.logRecords(request)).isEqualTo(2);
        ExportLogsServiceRequest bad = request.toBuilder().setResourceLogs(0, request.getResourceLogs(0).toBuilder()
                .setScopeLogs(0, ScopeLogs.newBuilder().addLogRecords(LogRecord.newBuilder().setSpanId(ByteString.copyFrom(new byte[9]))))).build();
        assertThatThrownBy(() -> ExportRequests.logRecords(bad)).hasMessageContaining("span id of 9 bytes");
    }

    private static ExportMetricsServiceRequest metrics(Metric... metrics) {
        ScopeMetrics.Builder scope = ScopeMetrics.newBuilder();
        for (Metric metric : metrics) {
            scope.addMetrics(metric);
        }
        return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder().addScopeMetrics(scope)).build();
    }
}
