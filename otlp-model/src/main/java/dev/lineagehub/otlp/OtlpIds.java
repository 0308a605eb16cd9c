package dev.lineagehub.otlp;

import com.google.protobuf.ByteString;

/**
 * The lengths pdata holds trace and span ids to: empty or exactly 16 bytes for a trace id, 8 for a
 * span id. The Collector's receiver cannot decode a request with any other length (its ids are
 * fixed-size arrays) and answers 400, so its exporter never writes one.
 */
public final class OtlpIds {

    public static final int TRACE_ID_BYTES = 16;
    public static final int SPAN_ID_BYTES = 8;

    private OtlpIds() {
    }

    /** @throws UndecodableRecordException naming {@code what} when the id is neither empty nor {@code length} bytes */
    public static ByteString checked(ByteString id, int length, String what) {
        if (!id.isEmpty() && id.size() != length) {
            throw new UndecodableRecordException("a " + what + " of " + id.size() + " bytes (OTLP has " + length
                    + "): the Collector refuses such a request", null);
        }
        return id;
    }

    public static ByteString traceId(ByteString id, String what) {
        return checked(id, TRACE_ID_BYTES, what);
    }

    public static ByteString spanId(ByteString id, String what) {
        return checked(id, SPAN_ID_BYTES, what);
    }
}
