package dev.lineagehub.otlp;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Rewrites a protobuf message so that every string field is UTF-8, each invalid sequence replaced by
 * U+FFFD, everything else copied as it is. protobuf-java refuses a whole proto3 message for one
 * invalid string, where the Collector (Go) exports it unchecked; this keeps the rest of the request.
 * Only used once the strict parse failed for that reason.
 */
final class Utf8Repair {

    private static final int MAX_DEPTH = 100;

    private Utf8Repair() {
    }

    static byte[] repair(byte[] message, Descriptor type) throws IOException {
        return repair(message, type, 0);
    }

    private static byte[] repair(byte[] message, Descriptor type, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new InvalidProtocolBufferException("message nested deeper than " + MAX_DEPTH + " levels");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(message.length);
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        CodedInputStream in = CodedInputStream.newInstance(message);
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            FieldDescriptor field = type.findFieldByNumber(WireFormat.getTagFieldNumber(tag));
            boolean delimited = WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
            if (delimited && field != null && field.getType() == FieldDescriptor.Type.STRING) {
                ByteString value = in.readBytes();
                out.writeBytes(field.getNumber(), value.isValidUtf8() ? value
                        : ByteString.copyFromUtf8(value.toString(StandardCharsets.UTF_8)));
            } else if (delimited && field != null && field.getType() == FieldDescriptor.Type.MESSAGE) {
                out.writeByteArray(field.getNumber(), repair(in.readByteArray(), field.getMessageType(), depth + 1));
            } else {
                in.skipField(tag, out);
            }
        }
        out.flush();
        return bytes.toByteArray();
    }
}
