package dev.lineagehub.otel.decode;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;

import com.google.protobuf.ByteString;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** An export request as {@code otel_traces} rows, with the exporter's conventions for names and values. */
public final class SpanRows {

    private static final HexFormat HEX = HexFormat.of();

    private SpanRows() {
    }

    public static List<SpanRow> of(ExportTraceServiceRequest request) {
        List<SpanRow> rows = new ArrayList<>();
        for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
            Map<String, String> resource = attributes(resourceSpans.getResource().getAttributesList());
            String service = resource.getOrDefault("service.name", "");
            for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
                for (Span span : scopeSpans.getSpansList()) {
                    rows.add(new SpanRow(span.getStartTimeUnixNano(), hex(span.getTraceId()), hex(span.getSpanId()),
                            hex(span.getParentSpanId()), span.getTraceState(), span.getName(), kind(span.getKind()), service,
                            resource, scopeSpans.getScope().getName(), scopeSpans.getScope().getVersion(),
                            attributes(span.getAttributesList()),
                            Math.max(0, span.getEndTimeUnixNano() - span.getStartTimeUnixNano()),
                            status(span.getStatus().getCode()), span.getStatus().getMessage(),
                            span.getEventsList().stream().map(e -> new SpanRow.Event(e.getTimeUnixNano(), e.getName(),
                                    attributes(e.getAttributesList()))).toList(),
                            span.getLinksList().stream().map(l -> new SpanRow.Link(hex(l.getTraceId()), hex(l.getSpanId()),
                                    l.getTraceState(), attributes(l.getAttributesList()))).toList()));
                }
            }
        }
        return rows;
    }

    /** Attribute values as the exporter stores them: strings as is, other scalars printed, arrays and maps as JSON. */
    static Map<String, String> attributes(List<KeyValue> attributes) {
        Map<String, String> map = new LinkedHashMap<>();
        for (KeyValue attribute : attributes) {
            map.put(attribute.getKey(), text(attribute.getValue()));
        }
        return map;
    }

    static String text(AnyValue value) {
        return switch (value.getValueCase()) {
            case STRING_VALUE -> value.getStringValue();
            case BOOL_VALUE -> String.valueOf(value.getBoolValue());
            case INT_VALUE -> String.valueOf(value.getIntValue());
            case DOUBLE_VALUE -> String.valueOf(value.getDoubleValue());
            case BYTES_VALUE -> java.util.Base64.getEncoder().encodeToString(value.getBytesValue().toByteArray());
            case ARRAY_VALUE -> value.getArrayValue().getValuesList().stream().map(SpanRows::json)
                    .collect(Collectors.joining(",", "[", "]"));
            case KVLIST_VALUE -> value.getKvlistValue().getValuesList().stream()
                    .map(kv -> quote(kv.getKey()) + ":" + json(kv.getValue())).collect(Collectors.joining(",", "{", "}"));
            default -> "";
        };
    }

    private static String json(AnyValue value) {
        return switch (value.getValueCase()) {
            case STRING_VALUE, BYTES_VALUE -> quote(text(value));
            case VALUE_NOT_SET -> "null";
            default -> text(value);
        };
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
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

    private static String hex(ByteString id) {
        return id.isEmpty() ? "" : HEX.formatHex(id.toByteArray());
    }
}
