package dev.lineagehub.otel.testing;

import dev.lineagehub.testing.TestKafka;

import com.google.protobuf.ByteString;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;

/** OTLP trace export requests as the Collector's Kafka exporter writes them, every span with a unique id. */
public final class SpanRequests {

    private SpanRequests() {
    }

    /**
     * Publishes records {@code from} until {@code from + count}: record r is one trace ({@link #traceId})
     * of {@code spans} spans, a server span and its client spans, keyed by trace id.
     */
    public static void publish(TestKafka kafka, String topic, int from, int count, int spans) {
        long now = Instant.now().getEpochSecond() * 1_000_000_000L;
        for (int r = from; r < from + count; r++) {
            ScopeSpans.Builder scope = ScopeSpans.newBuilder();
            for (int s = 0; s < spans; s++) {
                scope.addSpans(Span.newBuilder()
                        .setTraceId(ByteString.copyFrom(HexFormat.of().parseHex(traceId(r))))
                        .setSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putInt(r).putInt(s).array()))
                        .setName(s == 0 ? "GET /orders" : "SELECT orders")
                        .setKind(s == 0 ? Span.SpanKind.SPAN_KIND_SERVER : Span.SpanKind.SPAN_KIND_CLIENT)
                        .setStartTimeUnixNano(now + s * 1_000L)
                        .setEndTimeUnixNano(now + s * 1_000L + 500_000L));
            }
            ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                    .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
                            .setValue(AnyValue.newBuilder().setStringValue("checkout"))))
                    .addScopeSpans(scope)).build();
            kafka.send(topic, traceId(r).getBytes(StandardCharsets.UTF_8), request.toByteArray());
        }
        kafka.flush();
    }

    /** A request of one span, record {@code id}'s only one, with this name and start (epoch nanoseconds). */
    public static byte[] single(int id, String name, long startNanos) {
        Span span = Span.newBuilder()
                .setTraceId(ByteString.copyFrom(HexFormat.of().parseHex(traceId(id))))
                .setSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putInt(id).putInt(0).array()))
                .setName(name)
                .setKind(Span.SpanKind.SPAN_KIND_SERVER)
                .setStartTimeUnixNano(startNanos)
                .setEndTimeUnixNano(startNanos + 500_000L)
                .build();
        return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
                        .setValue(AnyValue.newBuilder().setStringValue("checkout"))))
                .addScopeSpans(ScopeSpans.newBuilder().addSpans(span))).build().toByteArray();
    }

    /** The id of the only span of a {@link #single} request, as the span id column holds it (hex). */
    public static String spanIdOf(byte[] request) {
        try {
            return HexFormat.of().formatHex(ExportTraceServiceRequest.parseFrom(request).getResourceSpans(0).getScopeSpans(0)
                    .getSpans(0).getSpanId().toByteArray());
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The trace id of record r, as hex. */
    public static String traceId(int record) {
        return String.format("%032x", record + 1);
    }
}
