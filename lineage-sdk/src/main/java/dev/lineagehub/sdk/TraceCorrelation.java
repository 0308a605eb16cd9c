package dev.lineagehub.sdk;

import java.util.Map;
import java.util.Optional;

/**
 * The ids of the OpenTelemetry span current on the calling thread, when the worker has the
 * OpenTelemetry API on its class path and a span is active. The run carries them in a {@code trace}
 * run facet ({@code traceId}, {@code spanId}), which otel-consumer's {@code lineage_runs} reads, so a
 * run joins its spans in ClickHouse. Without the API this class never touches it.
 */
final class TraceCorrelation {

    private static final boolean OTEL_PRESENT = present();

    private TraceCorrelation() {
    }

    public static Optional<Map<String, String>> current() {
        return OTEL_PRESENT ? Otel.current() : Optional.empty();
    }

    private static boolean present() {
        try {
            Class.forName("io.opentelemetry.api.trace.Span", false, TraceCorrelation.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError absent) {
            return false;
        }
    }

    /** Loaded only when the API is there. */
    private static final class Otel {
        static Optional<Map<String, String>> current() {
            io.opentelemetry.api.trace.SpanContext span = io.opentelemetry.api.trace.Span.current().getSpanContext();
            return span.isValid() ? Optional.of(Map.of("traceId", span.getTraceId(), "spanId", span.getSpanId())) : Optional.empty();
        }
    }
}
