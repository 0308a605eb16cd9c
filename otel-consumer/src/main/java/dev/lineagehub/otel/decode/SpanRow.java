package dev.lineagehub.otel.decode;

import java.util.List;
import java.util.Map;

/** One row of {@code otel_traces}, as the Collector's ClickHouse exporter writes it. */
public record SpanRow(long timestampNanos, String traceId, String spanId, String parentSpanId, String traceState,
                      String spanName, String spanKind, String serviceName, Map<String, String> resourceAttributes,
                      String scopeName, String scopeVersion, Map<String, String> spanAttributes, long durationNanos,
                      String statusCode, String statusMessage, List<Event> events, List<Link> links) {

    public record Event(long timestampNanos, String name, Map<String, String> attributes) {
    }

    public record Link(String traceId, String spanId, String traceState, Map<String, String> attributes) {
    }
}
