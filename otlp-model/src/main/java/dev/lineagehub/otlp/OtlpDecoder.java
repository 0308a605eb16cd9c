package dev.lineagehub.otlp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

import java.io.IOException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Reads the export requests the Collector's Kafka exporter writes, in either encoding. OTLP/JSON
 * differs from protobuf's canonical JSON in one way that matters: trace and span ids are hex, not
 * base64; they are rewritten before protobuf's JSON parser reads the rest (camelCase names, int64 as
 * strings, enums as numbers).
 */
public final class OtlpDecoder {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> ID_FIELDS = Set.of("traceId", "spanId", "parentSpanId");
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

    private OtlpDecoder() {
    }

    public static ExportTraceServiceRequest traces(byte[] value, Encoding encoding) {
        ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
        decode(value, encoding, request);
        return request.build();
    }

    public static ExportMetricsServiceRequest metrics(byte[] value, Encoding encoding) {
        ExportMetricsServiceRequest.Builder request = ExportMetricsServiceRequest.newBuilder();
        decode(value, encoding, request);
        return request.build();
    }

    public static ExportLogsServiceRequest logs(byte[] value, Encoding encoding) {
        ExportLogsServiceRequest.Builder request = ExportLogsServiceRequest.newBuilder();
        decode(value, encoding, request);
        return request.build();
    }

    private static void decode(byte[] value, Encoding encoding, Message.Builder into) {
        if (value == null || value.length == 0) {
            if (encoding == Encoding.OTLP_PROTO) {
                return; // the protobuf encoding of an empty request: nothing to store, nothing wrong
            }
            throw new UndecodableRecordException("record value is empty, which is not OTLP/JSON", null);
        }
        try {
            if (encoding == Encoding.OTLP_PROTO) {
                mergeProto(value, into);
            } else {
                JsonNode tree = JSON.readTree(value);
                if (tree == null || !tree.isObject()) {
                    throw new UndecodableRecordException("OTLP/JSON record is not a JSON object", null);
                }
                hexIdsToBase64(tree);
                PARSER.merge(JSON.writeValueAsString(tree), into);
            }
        } catch (InvalidProtocolBufferException e) {
            throw new UndecodableRecordException("not an OTLP " + encoding + " " + into.getDescriptorForType().getName()
                    + ": " + e.getMessage(), e);
        } catch (IOException | IllegalArgumentException e) {
            throw new UndecodableRecordException("not valid OTLP/JSON: " + e.getMessage(), e);
        }
    }

    private static void mergeProto(byte[] value, Message.Builder into) throws IOException {
        try {
            into.mergeFrom(value);
        } catch (InvalidProtocolBufferException e) {
            if (!String.valueOf(e.getMessage()).contains("invalid UTF-8")) {
                throw e;
            }
            into.clear();
            into.mergeFrom(Utf8Repair.repair(value, into.getDescriptorForType()));
        }
    }

    private static void hexIdsToBase64(JsonNode node) {
        if (node instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (ID_FIELDS.contains(field.getKey()) && field.getValue().isTextual()) {
                    field.setValue(object.textNode(Base64.getEncoder().encodeToString(
                            HexFormat.of().parseHex(field.getValue().asText()))));
                } else {
                    hexIdsToBase64(field.getValue());
                }
            }
        } else if (node instanceof ArrayNode array) {
            array.forEach(OtlpDecoder::hexIdsToBase64);
        }
    }
}
