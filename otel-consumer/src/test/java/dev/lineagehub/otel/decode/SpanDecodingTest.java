package dev.lineagehub.otel.decode;

import dev.lineagehub.otlp.Encoding;
import dev.lineagehub.otlp.OtlpDecoder;
import dev.lineagehub.otlp.UndecodableRecordException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

class SpanDecodingTest {

    private static final long START = 1_763_618_400_000_000_000L;

    @Test
    void protoAndJsonOfTheSameSpanGiveTheSameRow() throws IOException {
        SpanRow fromProto = single(OtlpDecoder.traces(sample().toByteArray(), Encoding.OTLP_PROTO));
        SpanRow fromJson = single(OtlpDecoder.traces(resource("otlp/trace.json"), Encoding.OTLP_JSON));
        assertThat(fromJson).isEqualTo(fromProto);
    }

    @Test
    void rowsFollowTheExportersConventions() {
        SpanRow row = single(OtlpDecoder.traces(sample().toByteArray(), Encoding.OTLP_PROTO));
        assertThat(row.timestampNanos()).isEqualTo(START);
        assertThat(row.traceId()).isEqualTo("5b8efff798038103d269b633813fc60c");
        assertThat(row.spanId()).isEqualTo("eee19b7ec3c1b174");
        assertThat(row.parentSpanId()).isEqualTo("eee19b7ec3c1b173");
        assertThat(row.spanKind()).isEqualTo("Client");
        assertThat(row.serviceName()).isEqualTo("checkout");
        assertThat(row.durationNanos()).isEqualTo(12_500_000L);
        assertThat(row.statusCode()).isEqualTo("Error");
        assertThat(row.statusMessage()).isEqualTo("timeout");
        assertThat(row.scopeName()).isEqualTo("io.opentelemetry.jdbc");
        assertThat(row.resourceAttributes()).containsEntry("host.cpu.count", "8");
        Map<String, String> expected = new java.util.LinkedHashMap<>();
        expected.put("db.system", "postgresql");
        expected.put("db.rows", "42");
        expected.put("retry", "true");
        expected.put("tags", "[\"a\",1]");
        assertThat(row.spanAttributes()).containsExactlyEntriesOf(expected);
        assertThat(row.events()).containsExactly(new SpanRow.Event(START + 10_000_000L, "exception",
                Map.of("exception.type", "SQLTimeoutException")));
        assertThat(row.links()).containsExactly(new SpanRow.Link("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
                "rojo=00f067aa0ba902b7", Map.of()));
    }

    @Test
    void theDurationIsGosEndMinusStartNegativeWhenTheEndIsFirstAndSaturatedBeyondItsRange() {
        assertThat(SpanRows.duration(1_000, 1_250)).isEqualTo(250);
        assertThat(SpanRows.duration(1_250, 1_000)).isEqualTo(-250);
        assertThat(SpanRows.duration(Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
        assertThat(SpanRows.duration(Long.MAX_VALUE, -2)).isEqualTo(Long.MIN_VALUE);
        assertThat(SpanRows.duration(-20, Long.MAX_VALUE - 10)).isEqualTo(Long.MAX_VALUE);
        assertThat(SpanRows.duration(-5, Long.MAX_VALUE - 10)).isEqualTo(Long.MAX_VALUE - 5);
        assertThat(SpanRows.duration(0, Long.MIN_VALUE)).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void aServiceNameThatIsNotAStringIsItsTextAsTheExportersGetServiceNameReadsIt() {
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(attr("service.name", AnyValue.newBuilder().setIntValue(7).build())))
                .addScopeSpans(ScopeSpans.newBuilder().addSpans(Span.newBuilder().setTraceId(id("0af7651916cd43dd8448eb211c80319c"))
                        .setSpanId(id("b7ad6b7169203331")).setName("job")))).build();
        assertThat(single(request).serviceName()).isEqualTo("7");
    }

    @Test
    void aRootSpanHasAnEmptyParentAndAnUnsetStatus() {
        ExportTraceServiceRequest root = sample().toBuilder()
                .setResourceSpans(0, sample().getResourceSpans(0).toBuilder().setScopeSpans(0,
                        sample().getResourceSpans(0).getScopeSpans(0).toBuilder().setSpans(0,
                                sample().getResourceSpans(0).getScopeSpans(0).getSpans(0).toBuilder()
                                        .clearParentSpanId().clearStatus().setKind(Span.SpanKind.SPAN_KIND_SERVER)))).build();
        SpanRow row = single(root);
        assertThat(row.parentSpanId()).isEmpty();
        assertThat(row.statusCode()).isEqualTo("Unset");
        assertThat(row.spanKind()).isEqualTo("Server");
    }

    @Test
    void garbageIsUndecodableInBothEncodings() {
        assertThatThrownBy(() -> OtlpDecoder.traces(new byte[] {(byte) 0xff, 0x01, 0x02}, Encoding.OTLP_PROTO))
                .isInstanceOf(UndecodableRecordException.class);
        assertThatThrownBy(() -> OtlpDecoder.traces("{\"resourceSpans\": 7".getBytes(StandardCharsets.UTF_8), Encoding.OTLP_JSON))
                .isInstanceOf(UndecodableRecordException.class);
        assertThatThrownBy(() -> OtlpDecoder.traces("[1,2]".getBytes(StandardCharsets.UTF_8), Encoding.OTLP_JSON))
                .isInstanceOf(UndecodableRecordException.class);
    }

    /** The span of otlp/trace.json, built with the official opentelemetry-proto builders. */
    static ExportTraceServiceRequest sample() {
        Span span = Span.newBuilder()
                .setTraceId(id("5b8efff798038103d269b633813fc60c"))
                .setSpanId(id("eee19b7ec3c1b174"))
                .setParentSpanId(id("eee19b7ec3c1b173"))
                .setName("SELECT shop.orders")
                .setStartTimeUnixNano(START)
                .setEndTimeUnixNano(START + 12_500_000L)
                .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
                .addAttributes(attr("db.system", AnyValue.newBuilder().setStringValue("postgresql").build()))
                .addAttributes(attr("db.rows", AnyValue.newBuilder().setIntValue(42).build()))
                .addAttributes(attr("retry", AnyValue.newBuilder().setBoolValue(true).build()))
                .addAttributes(attr("tags", AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
                        .addValues(AnyValue.newBuilder().setStringValue("a")).addValues(AnyValue.newBuilder().setIntValue(1))).build()))
                .addEvents(Span.Event.newBuilder().setTimeUnixNano(START + 10_000_000L).setName("exception")
                        .addAttributes(attr("exception.type", AnyValue.newBuilder().setStringValue("SQLTimeoutException").build())))
                .addLinks(Span.Link.newBuilder().setTraceId(id("0af7651916cd43dd8448eb211c80319c"))
                        .setSpanId(id("b7ad6b7169203331")).setTraceState("rojo=00f067aa0ba902b7"))
                .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("timeout"))
                .build();
        return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                        .setResource(Resource.newBuilder()
                                .addAttributes(attr("service.name", AnyValue.newBuilder().setStringValue("checkout").build()))
                                .addAttributes(attr("host.cpu.count", AnyValue.newBuilder().setIntValue(8).build())))
                        .addScopeSpans(ScopeSpans.newBuilder()
                                .setScope(InstrumentationScope.newBuilder().setName("io.opentelemetry.jdbc").setVersion("2.10.0"))
                                .addSpans(span)))
                .build();
    }

    private static SpanRow single(ExportTraceServiceRequest request) {
        List<SpanRow> rows = SpanRows.of(request);
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }

    private static KeyValue attr(String key, AnyValue value) {
        return KeyValue.newBuilder().setKey(key).setValue(value).build();
    }

    private static ByteString id(String hex) {
        return ByteString.copyFrom(HexFormat.of().parseHex(hex));
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = SpanDecodingTest.class.getClassLoader().getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }
}
