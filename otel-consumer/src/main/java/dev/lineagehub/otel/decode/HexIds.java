package dev.lineagehub.otel.decode;

import dev.lineagehub.otlp.OtlpIds;

import com.google.protobuf.ByteString;

import java.util.HexFormat;

/**
 * Trace and span ids as the exporter writes them, in hex. pdata refuses an id of any length but 0 or the
 * id's own ({@link OtlpIds}), so the Collector never exports such a request: it
 * is dead-lettered here. That is also what stops a metrics request read from the spans topic, whose
 * metric names land where trace ids are. An absent or all-zero id of a span, link or log record is
 * written empty; an exemplar's id is written in full, zeros included, as the exporter hex-encodes the
 * fixed-size array.
 */
final class HexIds {

    private static final HexFormat HEX = HexFormat.of();
    private static final int TRACE_ID_BYTES = OtlpIds.TRACE_ID_BYTES;
    private static final int SPAN_ID_BYTES = OtlpIds.SPAN_ID_BYTES;

    private HexIds() {
    }

    static String traceId(ByteString id) {
        return hexOrEmpty(checked(id, TRACE_ID_BYTES, "trace id"));
    }

    static String spanId(ByteString id) {
        return hexOrEmpty(checked(id, SPAN_ID_BYTES, "span id"));
    }

    static String exemplarTraceId(ByteString id) {
        return HEX.formatHex(padded(checked(id, TRACE_ID_BYTES, "exemplar trace id"), TRACE_ID_BYTES));
    }

    static String exemplarSpanId(ByteString id) {
        return HEX.formatHex(padded(checked(id, SPAN_ID_BYTES, "exemplar span id"), SPAN_ID_BYTES));
    }

    private static byte[] checked(ByteString id, int length, String what) {
        return OtlpIds.checked(id, length, what).toByteArray();
    }

    private static String hexOrEmpty(byte[] id) {
        for (byte b : id) {
            if (b != 0) {
                return HEX.formatHex(id);
            }
        }
        return "";
    }

    private static byte[] padded(byte[] id, int length) {
        return id.length == length ? id : new byte[length];
    }
}
