package dev.lineagehub.otel.decode;

import dev.lineagehub.otlp.Encoding;
import dev.lineagehub.otlp.OtlpDecoder;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

import org.junit.jupiter.api.Test;

/**
 * A string that is not UTF-8 does not cost the request: the Collector (Go) does not check UTF-8 and
 * exports it; here each invalid sequence becomes U+FFFD and the rest of the request is stored.
 */
class InvalidUtf8Test {

    /** The request with the bytes of {@code marker} replaced by a byte that is never UTF-8 (0xFF) at its start. */
    private static byte[] corrupt(ExportTraceServiceRequest request, String marker) {
        byte[] bytes = request.toByteArray();
        byte[] m = marker.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        for (int i = 0; i + m.length <= bytes.length; i++) {
            if (java.util.Arrays.equals(bytes, i, i + m.length, m, 0, m.length)) {
                bytes[i] = (byte) 0xFF;
                return bytes;
            }
        }
        throw new IllegalArgumentException(marker + " not in the request");
    }

    @Test
    void invalidUtf8InANameAndAnAttributeValueKeepsTheRequest() {
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .addScopeSpans(ScopeSpans.newBuilder()
                        .addSpans(Span.newBuilder().setName("Xname").setTraceId(com.google.protobuf.ByteString.copyFrom(new byte[16]))
                                .addAttributes(KeyValue.newBuilder().setKey("k").setValue(AnyValue.newBuilder().setStringValue("Yvalue"))))
                        .addSpans(Span.newBuilder().setName("healthy"))))
                .build();
        byte[] bytes = corrupt(request, "Xname");
        java.util.List<SpanRow> rows = SpanRows.of(OtlpDecoder.traces(bytes, Encoding.OTLP_PROTO));
        assertThat(rows).extracting(SpanRow::spanName).containsExactly("\uFFFDname", "healthy");
        assertThat(rows.get(0).spanAttributes()).containsEntry("k", "Yvalue");

        byte[] inAttribute = corrupt(request, "Yvalue");
        assertThat(SpanRows.of(OtlpDecoder.traces(inAttribute, Encoding.OTLP_PROTO)).get(0).spanAttributes())
                .as("inside a nested AnyValue").containsEntry("k", "\uFFFDvalue");
    }
}
