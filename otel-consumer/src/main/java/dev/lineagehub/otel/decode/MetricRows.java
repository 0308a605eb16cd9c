package dev.lineagehub.otel.decode;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;


import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An export request as rows of the exporter's five metric tables, one row per data point, with the
 * columns named as the tables name them.
 */
public final class MetricRows {


    private MetricRows() {
    }

    public static List<TableRow> of(ExportMetricsServiceRequest request) {
        List<TableRow> rows = new ArrayList<>();
        for (ResourceMetrics resourceMetrics : request.getResourceMetricsList()) {
            Map<String, String> resource = AttributeValues.of(resourceMetrics.getResource().getAttributesList());
            for (ScopeMetrics scopeMetrics : resourceMetrics.getScopeMetricsList()) {
                for (Metric metric : scopeMetrics.getMetricsList()) {
                    addRows(rows, resource, resourceMetrics.getSchemaUrl(), scopeMetrics, metric);
                }
            }
        }
        return rows;
    }

    private static void addRows(List<TableRow> rows, Map<String, String> resource, String resourceSchemaUrl,
                                ScopeMetrics scopeMetrics, Metric metric) {
        switch (metric.getDataCase()) {
            case GAUGE -> metric.getGauge().getDataPointsList().forEach(p -> {
                Map<String, Object> row = common(resource, resourceSchemaUrl, scopeMetrics, metric, p.getAttributesList(),
                        p.getStartTimeUnixNano(), p.getTimeUnixNano());
                row.put("Value", value(p));
                row.put("Flags", p.getFlags());
                exemplars(row, p.getExemplarsList());
                rows.add(new TableRow("otel_metrics_gauge", row));
            });
            case SUM -> metric.getSum().getDataPointsList().forEach(p -> {
                Map<String, Object> row = common(resource, resourceSchemaUrl, scopeMetrics, metric, p.getAttributesList(),
                        p.getStartTimeUnixNano(), p.getTimeUnixNano());
                row.put("Value", value(p));
                row.put("Flags", p.getFlags());
                exemplars(row, p.getExemplarsList());
                row.put("AggregationTemporality", metric.getSum().getAggregationTemporalityValue());
                row.put("IsMonotonic", metric.getSum().getIsMonotonic());
                rows.add(new TableRow("otel_metrics_sum", row));
            });
            case HISTOGRAM -> metric.getHistogram().getDataPointsList().forEach(p -> {
                Map<String, Object> row = histogram(resource, resourceSchemaUrl, scopeMetrics, metric, p);
                row.put("AggregationTemporality", metric.getHistogram().getAggregationTemporalityValue());
                rows.add(new TableRow("otel_metrics_histogram", row));
            });
            case EXPONENTIAL_HISTOGRAM -> metric.getExponentialHistogram().getDataPointsList().forEach(p -> {
                Map<String, Object> row = exponentialHistogram(resource, resourceSchemaUrl, scopeMetrics, metric, p);
                row.put("AggregationTemporality", metric.getExponentialHistogram().getAggregationTemporalityValue());
                rows.add(new TableRow("otel_metrics_exponential_histogram", row));
            });
            case SUMMARY -> metric.getSummary().getDataPointsList().forEach(p ->
                    rows.add(new TableRow("otel_metrics_summary", summary(resource, resourceSchemaUrl, scopeMetrics, metric, p))));
            default -> {
                // a metric without data: nothing to store
            }
        }
    }

    private static Map<String, Object> histogram(Map<String, String> resource, String resourceSchemaUrl, ScopeMetrics scope,
                                                 Metric metric, HistogramDataPoint p) {
        Map<String, Object> row = common(resource, resourceSchemaUrl, scope, metric, p.getAttributesList(),
                p.getStartTimeUnixNano(), p.getTimeUnixNano());
        row.put("Count", p.getCount());
        row.put("Sum", p.getSum());
        row.put("BucketCounts", p.getBucketCountsList());
        row.put("ExplicitBounds", p.getExplicitBoundsList());
        exemplars(row, p.getExemplarsList());
        row.put("Flags", p.getFlags());
        row.put("Min", p.getMin());
        row.put("Max", p.getMax());
        return row;
    }

    private static Map<String, Object> exponentialHistogram(Map<String, String> resource, String resourceSchemaUrl,
                                                            ScopeMetrics scope, Metric metric, ExponentialHistogramDataPoint p) {
        Map<String, Object> row = common(resource, resourceSchemaUrl, scope, metric, p.getAttributesList(),
                p.getStartTimeUnixNano(), p.getTimeUnixNano());
        row.put("Count", p.getCount());
        row.put("Sum", p.getSum());
        row.put("Scale", p.getScale());
        row.put("ZeroCount", p.getZeroCount());
        row.put("PositiveOffset", p.getPositive().getOffset());
        row.put("PositiveBucketCounts", p.getPositive().getBucketCountsList());
        row.put("NegativeOffset", p.getNegative().getOffset());
        row.put("NegativeBucketCounts", p.getNegative().getBucketCountsList());
        exemplars(row, p.getExemplarsList());
        row.put("Flags", p.getFlags());
        row.put("Min", p.getMin());
        row.put("Max", p.getMax());
        return row;
    }

    private static Map<String, Object> summary(Map<String, String> resource, String resourceSchemaUrl, ScopeMetrics scope,
                                               Metric metric, SummaryDataPoint p) {
        Map<String, Object> row = common(resource, resourceSchemaUrl, scope, metric, p.getAttributesList(),
                p.getStartTimeUnixNano(), p.getTimeUnixNano());
        row.put("Count", p.getCount());
        row.put("Sum", p.getSum());
        row.put("ValueAtQuantiles.Quantile", p.getQuantileValuesList().stream().map(SummaryDataPoint.ValueAtQuantile::getQuantile).toList());
        row.put("ValueAtQuantiles.Value", p.getQuantileValuesList().stream().map(SummaryDataPoint.ValueAtQuantile::getValue).toList());
        row.put("Flags", p.getFlags());
        return row;
    }

    private static Map<String, Object> common(Map<String, String> resource, String resourceSchemaUrl, ScopeMetrics scopeMetrics,
                                              Metric metric, List<io.opentelemetry.proto.common.v1.KeyValue> attributes,
                                              long startNanos, long timeNanos) {
        InstrumentationScope scope = scopeMetrics.getScope();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("ResourceAttributes", resource);
        row.put("ResourceSchemaUrl", resourceSchemaUrl);
        row.put("ScopeName", scope.getName());
        row.put("ScopeVersion", scope.getVersion());
        row.put("ScopeAttributes", AttributeValues.of(scope.getAttributesList()));
        row.put("ScopeDroppedAttrCount", scope.getDroppedAttributesCount());
        row.put("ScopeSchemaUrl", scopeMetrics.getSchemaUrl());
        row.put("ServiceName", resource.getOrDefault("service.name", ""));
        row.put("MetricName", metric.getName());
        row.put("MetricDescription", metric.getDescription());
        row.put("MetricUnit", metric.getUnit());
        row.put("Attributes", AttributeValues.of(attributes));
        row.put("StartTimeUnix", EpochTime.of(startNanos));
        row.put("TimeUnix", EpochTime.of(timeNanos));
        return row;
    }

    private static void exemplars(Map<String, Object> row, List<Exemplar> exemplars) {
        row.put("Exemplars.FilteredAttributes", exemplars.stream().map(e -> AttributeValues.of(e.getFilteredAttributesList())).toList());
        row.put("Exemplars.TimeUnix", exemplars.stream().map(e -> EpochTime.of(e.getTimeUnixNano())).toList());
        row.put("Exemplars.Value", exemplars.stream().map(e -> e.hasAsInt() ? (double) e.getAsInt() : e.getAsDouble()).toList());
        row.put("Exemplars.SpanId", exemplars.stream().map(e -> HexIds.exemplarSpanId(e.getSpanId())).toList());
        row.put("Exemplars.TraceId", exemplars.stream().map(e -> HexIds.exemplarTraceId(e.getTraceId())).toList());
    }

    private static double value(NumberDataPoint p) {
        return p.hasAsInt() ? (double) p.getAsInt() : p.getAsDouble();
    }
}
