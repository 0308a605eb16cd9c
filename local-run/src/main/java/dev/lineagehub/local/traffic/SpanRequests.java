package dev.lineagehub.local.traffic;

import com.google.protobuf.ByteString;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;

import java.nio.ByteBuffer;
import java.util.HexFormat;

/** Export requests shaped like an instrumented web service's: one trace per request, HTTP and DB spans with attributes. */
public final class SpanRequests {

    private static final long TRACE_ID_HIGH = 0x5b8efff798038103L;

    private SpanRequests() {
    }

    public static ExportTraceServiceRequest request(int trace, int spans, long startNanos) {
        ScopeSpans.Builder scope = ScopeSpans.newBuilder()
                .setScope(InstrumentationScope.newBuilder().setName("io.opentelemetry.spring-webmvc-6.0").setVersion("2.10.0"));
        ByteString traceId = ByteString.copyFrom(traceId(trace));
        for (int s = 0; s < spans; s++) {
            boolean root = s == 0;
            Span.Builder span = Span.newBuilder()
                    .setTraceId(traceId)
                    .setSpanId(ByteString.copyFrom(spanId(trace, s)))
                    .setName(root ? "GET /api/orders/{id}" : "SELECT shop.orders")
                    .setKind(root ? Span.SpanKind.SPAN_KIND_SERVER : Span.SpanKind.SPAN_KIND_CLIENT)
                    .setStartTimeUnixNano(startNanos + s * 10_000L)
                    .setEndTimeUnixNano(startNanos + s * 10_000L + 850_000L)
                    .addAttributes(kv(root ? "http.route" : "db.system", root ? "/api/orders/{id}" : "postgresql"))
                    .addAttributes(kv(root ? "http.request.method" : "db.statement", root ? "GET"
                            : "SELECT id, customer_id, total FROM orders WHERE id = ?"))
                    .addAttributes(kv("server.address", "orders-db.internal"))
                    .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_OK));
            if (!root) {
                span.setParentSpanId(ByteString.copyFrom(spanId(trace, 0)));
            }
            scope.addSpans(span);
        }
        return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(kv("service.name", "orders"))
                        .addAttributes(kv("service.version", "1.42.0")).addAttributes(kv("host.name", "orders-7d9f8c-x2x4q"))
                        .addAttributes(kv("telemetry.sdk.language", "java")))
                .addScopeSpans(scope)).build();
    }

    /** The trace id of {@code request(trace, ...)} as ClickHouse stores it: lower-case hex. */
    public static String traceIdHex(int trace) {
        return HexFormat.of().formatHex(traceId(trace));
    }

    /** The id of that trace's root span, in hex. */
    public static String rootSpanIdHex(int trace) {
        return HexFormat.of().formatHex(spanId(trace, 0));
    }

    private static byte[] traceId(int trace) {
        return ByteBuffer.allocate(16).putLong(TRACE_ID_HIGH).putLong(trace).array();
    }

    private static byte[] spanId(int trace, int span) {
        return ByteBuffer.allocate(8).putInt(trace).putInt(span).array();
    }

    static KeyValue kv(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }
}
