package dev.lineagehub.otlp;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.trace.v1.Span;

import java.util.List;

/**
 * What an export request carries, checked as the Collector's receiver decodes it: the spans, data
 * points or log records it holds (what OTLP's partial success and a quota count), after checking
 * every id's length, which is all pdata refuses of a request protobuf could parse.
 */
public final class ExportRequests {

    private ExportRequests() {
    }

    /** @throws UndecodableRecordException for an id the receiver could not decode */
    public static long spans(ExportTraceServiceRequest request) {
        long spans = 0;
        for (var resource : request.getResourceSpansList()) {
            for (var scope : resource.getScopeSpansList()) {
                for (Span span : scope.getSpansList()) {
                    OtlpIds.traceId(span.getTraceId(), "trace id");
                    OtlpIds.spanId(span.getSpanId(), "span id");
                    OtlpIds.spanId(span.getParentSpanId(), "parent span id");
                    for (Span.Link link : span.getLinksList()) {
                        OtlpIds.traceId(link.getTraceId(), "link's trace id");
                        OtlpIds.spanId(link.getSpanId(), "link's span id");
                    }
                    spans++;
                }
            }
        }
        return spans;
    }

    /** @throws UndecodableRecordException for an exemplar's id the receiver could not decode */
    public static long dataPoints(ExportMetricsServiceRequest request) {
        long points = 0;
        for (var resource : request.getResourceMetricsList()) {
            for (var scope : resource.getScopeMetricsList()) {
                for (Metric metric : scope.getMetricsList()) {
                    points += dataPoints(metric);
                }
            }
        }
        return points;
    }

    private static long dataPoints(Metric metric) {
        return switch (metric.getDataCase()) {
            case GAUGE -> {
                metric.getGauge().getDataPointsList().forEach(point -> checkExemplars(point.getExemplarsList()));
                yield metric.getGauge().getDataPointsCount();
            }
            case SUM -> {
                metric.getSum().getDataPointsList().forEach(point -> checkExemplars(point.getExemplarsList()));
                yield metric.getSum().getDataPointsCount();
            }
            case HISTOGRAM -> {
                metric.getHistogram().getDataPointsList().forEach(point -> checkExemplars(point.getExemplarsList()));
                yield metric.getHistogram().getDataPointsCount();
            }
            case EXPONENTIAL_HISTOGRAM -> {
                metric.getExponentialHistogram().getDataPointsList().forEach(point -> checkExemplars(point.getExemplarsList()));
                yield metric.getExponentialHistogram().getDataPointsCount();
            }
            case SUMMARY -> metric.getSummary().getDataPointsCount(); // its points carry no exemplars
            case DATA_NOT_SET -> 0;
        };
    }

    private static void checkExemplars(List<Exemplar> exemplars) {
        for (Exemplar exemplar : exemplars) {
            OtlpIds.traceId(exemplar.getTraceId(), "exemplar trace id");
            OtlpIds.spanId(exemplar.getSpanId(), "exemplar span id");
        }
    }

    /** @throws UndecodableRecordException for an id the receiver could not decode */
    public static long logRecords(ExportLogsServiceRequest request) {
        long records = 0;
        for (var resource : request.getResourceLogsList()) {
            for (var scope : resource.getScopeLogsList()) {
                for (var log : scope.getLogRecordsList()) {
                    OtlpIds.traceId(log.getTraceId(), "trace id");
                    OtlpIds.spanId(log.getSpanId(), "span id");
                    records++;
                }
            }
        }
        return records;
    }
}
