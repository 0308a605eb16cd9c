package dev.lineagehub.otel.testing;

import dev.lineagehub.testing.TestKafka;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
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

import java.time.Instant;
import java.util.List;

/**
 * OTLP metrics export requests as the Collector's Kafka exporter writes them: record r holds one data
 * point in each of the five metric kinds, each with the attribute {@value #RECORD} = r, so every
 * metric table can be counted by id.
 */
public final class MetricRequests {

    public static final String RECORD = "record";

    private MetricRequests() {
    }

    public static void publish(TestKafka kafka, String topic, int from, int count) {
        long now = Instant.now().getEpochSecond() * 1_000_000_000L;
        for (int r = from; r < from + count; r++) {
            KeyValue id = KeyValue.newBuilder().setKey(RECORD).setValue(AnyValue.newBuilder().setStringValue(String.valueOf(r))).build();
            long start = now - 60_000_000_000L;
            ScopeMetrics scope = ScopeMetrics.newBuilder()
                    .addMetrics(Metric.newBuilder().setName("queue.depth").setGauge(Gauge.newBuilder()
                            .addDataPoints(NumberDataPoint.newBuilder().addAttributes(id).setTimeUnixNano(now).setAsDouble(r))))
                    .addMetrics(Metric.newBuilder().setName("rows.written").setUnit("{row}").setSum(Sum.newBuilder()
                            .setIsMonotonic(true).setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                            .addDataPoints(NumberDataPoint.newBuilder().addAttributes(id).setStartTimeUnixNano(start)
                                    .setTimeUnixNano(now).setAsInt(r))))
                    .addMetrics(Metric.newBuilder().setName("request.duration").setUnit("ms").setHistogram(Histogram.newBuilder()
                            .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
                            .addDataPoints(HistogramDataPoint.newBuilder().addAttributes(id).setStartTimeUnixNano(start)
                                    .setTimeUnixNano(now).setCount(3).setSum(17.5).addAllExplicitBounds(List.of(5.0, 10.0))
                                    .addAllBucketCounts(List.of(1L, 1L, 1L)))))
                    .addMetrics(Metric.newBuilder().setName("payload.size").setUnit("By").setExponentialHistogram(
                            ExponentialHistogram.newBuilder().setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
                                    .addDataPoints(ExponentialHistogramDataPoint.newBuilder().addAttributes(id).setStartTimeUnixNano(start)
                                            .setTimeUnixNano(now).setScale(1).setCount(2).setSum(6).setZeroCount(0)
                                            .setPositive(ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(1)
                                                    .addBucketCounts(2)))))
                    .addMetrics(Metric.newBuilder().setName("gc.pause").setUnit("s").setSummary(Summary.newBuilder()
                            .addDataPoints(SummaryDataPoint.newBuilder().addAttributes(id).setStartTimeUnixNano(start)
                                    .setTimeUnixNano(now).setCount(2).setSum(0.03)
                                    .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.5).setValue(0.01)))))
                    .build();
            ExportMetricsServiceRequest request = ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
                    .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
                            .setValue(AnyValue.newBuilder().setStringValue("checkout"))))
                    .addScopeMetrics(scope)).build();
            kafka.send(topic, null, request.toByteArray());
        }
        kafka.flush();
    }
}
