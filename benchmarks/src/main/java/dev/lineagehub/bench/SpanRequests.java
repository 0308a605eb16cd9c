package dev.lineagehub.bench;

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

/** Export requests shaped like an instrumented web service's: one trace per request, HTTP and DB spans with attributes. */
final class SpanRequests {

    private SpanRequests() {
    }

    static ExportTraceServiceRequest request(int trace, int spans, long startNanos) {
        ScopeSpans.Builder scope = ScopeSpans.newBuilder()
                .setScope(InstrumentationScope.newBuilder().setName("io.opentelemetry.spring-webmvc-6.0").setVersion("2.10.0"));
        ByteString traceId = ByteString.copyFrom(ByteBuffer.allocate(16).putLong(0x5b8efff798038103L).putLong(trace).array());
        for (int s = 0; s < spans; s++) {
            boolean root = s == 0;
            Span.Builder span = Span.newBuilder()
                    .setTraceId(traceId)
                    .setSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putInt(trace).putInt(s).array()))
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
                span.setParentSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putInt(trace).putInt(0).array()));
            }
            scope.addSpans(span);
        }
        return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(kv("service.name", "orders"))
                        .addAttributes(kv("service.version", "1.42.0")).addAttributes(kv("host.name", "orders-7d9f8c-x2x4q"))
                        .addAttributes(kv("telemetry.sdk.language", "java")))
                .addScopeSpans(scope)).build();
    }

    private static KeyValue kv(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }
}
