package dev.lineagehub.otel.decode;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** An export request as {@code otel_traces} rows, with the exporter's conventions for names and values. */
public final class SpanRows {

    private SpanRows() {
    }

    public static List<SpanRow> of(ExportTraceServiceRequest request) {
        List<SpanRow> rows = new ArrayList<>();
        for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
            Map<String, String> resource = AttributeValues.of(resourceSpans.getResource().getAttributesList());
            String service = resource.getOrDefault("service.name", "");
            for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
                for (Span span : scopeSpans.getSpansList()) {
                    rows.add(new SpanRow(span.getStartTimeUnixNano(), HexIds.traceId(span.getTraceId()), HexIds.spanId(span.getSpanId()),
                            HexIds.spanId(span.getParentSpanId()), span.getTraceState(), span.getName(), kind(span.getKind()), service,
                            resource, scopeSpans.getScope().getName(), scopeSpans.getScope().getVersion(),
                            AttributeValues.of(span.getAttributesList()),
                            duration(span.getStartTimeUnixNano(), span.getEndTimeUnixNano()),
                            status(span.getStatus().getCode()), span.getStatus().getMessage(),
                            span.getEventsList().stream().map(e -> new SpanRow.Event(e.getTimeUnixNano(), e.getName(),
                                    AttributeValues.of(e.getAttributesList()))).toList(),
                            span.getLinksList().stream().map(l -> new SpanRow.Link(HexIds.traceId(l.getTraceId()), HexIds.spanId(l.getSpanId()),
                                    l.getTraceState(), AttributeValues.of(l.getAttributesList()))).toList()));
                }
            }
        }
        return rows;
    }

    /**
     * The exporter's {@code Duration}: Go's {@code end.Sub(start)} of the two times, so an end before the start gives a
     * negative duration, whose 64 bits the {@code UInt64} column holds (read back as 2^64 − |d|; {@code reinterpretAsInt64}
     * gives it back), and a difference beyond Go's Duration range saturates at its minimum or maximum. The times are
     * Go's {@code time.Unix(0, int64(t))}, the same signed reading as Java's long.
     */
    static long duration(long startNanos, long endNanos) {
        long difference = endNanos - startNanos;
        boolean overflowed = ((endNanos ^ startNanos) & (endNanos ^ difference)) < 0;
        return overflowed ? (endNanos < startNanos ? Long.MIN_VALUE : Long.MAX_VALUE) : difference;
    }

    /** The exporter's names: Unspecified, Internal, Server, Client, Producer, Consumer. */
    static String kind(Span.SpanKind kind) {
        return switch (kind) {
            case SPAN_KIND_INTERNAL -> "Internal";
            case SPAN_KIND_SERVER -> "Server";
            case SPAN_KIND_CLIENT -> "Client";
            case SPAN_KIND_PRODUCER -> "Producer";
            case SPAN_KIND_CONSUMER -> "Consumer";
            default -> "Unspecified";
        };
    }

    /** The exporter's names: Unset, Ok, Error. */
    static String status(Status.StatusCode code) {
        return switch (code) {
            case STATUS_CODE_OK -> "Ok";
            case STATUS_CODE_ERROR -> "Error";
            default -> "Unset";
        };
    }
}
