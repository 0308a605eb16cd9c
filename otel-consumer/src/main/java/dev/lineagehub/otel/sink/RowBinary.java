package dev.lineagehub.otel.sink;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * ClickHouse's RowBinary format, written for a column's type as ClickHouse names it ({@code system.columns}): the
 * bytes the server's own reader takes, so an insert needs no statement text and no parameter binding. Numbers are
 * little-endian, strings and arrays carry a LEB128 length, a map is an array of key-value pairs, a DateTime64 is its
 * ticks since the epoch (UTC whatever the column's zone, which only affects how it is shown), a DateTime its seconds.
 * A missing value (null) is written as the type's default, as ClickHouse stores a column the insert leaves out.
 */
final class RowBinary {

    /** Writes one value of a column. */
    @FunctionalInterface
    interface Encoder {
        void write(Object value, Buffer out);
    }

    private RowBinary() {
    }

    /** The encoder of a ClickHouse type, e.g. {@code Map(LowCardinality(String), String)}; refuses one it does not know. */
    static Encoder of(String type) {
        String t = type.strip();
        if (t.startsWith("LowCardinality(")) {
            return of(inner(t));
        }
        if (t.startsWith("Nullable(")) {
            Encoder value = of(inner(t));
            return (v, out) -> {
                out.write(v == null ? 1 : 0);
                if (v != null) {
                    value.write(v, out);
                }
            };
        }
        if (t.startsWith("Array(")) {
            Encoder element = of(inner(t));
            return (v, out) -> {
                List<?> list = v == null ? List.of() : (List<?>) v;
                out.varint(list.size());
                for (Object item : list) {
                    element.write(item, out);
                }
            };
        }
        if (t.startsWith("Map(")) {
            String[] kv = splitTopLevel(inner(t));
            Encoder key = of(kv[0]);
            Encoder value = of(kv[1]);
            return (v, out) -> {
                Map<?, ?> map = v == null ? Map.of() : (Map<?, ?>) v;
                out.varint(map.size());
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    key.write(entry.getKey(), out);
                    value.write(entry.getValue(), out);
                }
            };
        }
        if (t.startsWith("DateTime64(")) {
            int precision = Integer.parseInt(splitTopLevel(inner(t))[0].strip());
            return (v, out) -> out.int64(ticks((Instant) v, precision));
        }
        if (t.equals("DateTime") || t.startsWith("DateTime(")) {
            return (v, out) -> out.int32(v == null ? 0 : (int) ((Instant) v).getEpochSecond());
        }
        return switch (t) {
            case "String" -> (v, out) -> out.string(v == null ? "" : v.toString());
            case "Bool", "UInt8", "Int8" -> (v, out) -> out.write(v instanceof Boolean b ? (b ? 1 : 0) : number(v).intValue());
            case "UInt16", "Int16" -> (v, out) -> out.int16(number(v).intValue());
            case "UInt32", "Int32" -> (v, out) -> out.int32(number(v).intValue());
            case "UInt64", "Int64" -> (v, out) -> out.int64(number(v).longValue());
            case "Float32" -> (v, out) -> out.int32(Float.floatToRawIntBits(number(v).floatValue()));
            case "Float64" -> (v, out) -> out.int64(Double.doubleToRawLongBits(number(v).doubleValue()));
            default -> throw new IllegalArgumentException("otel-consumer cannot write ClickHouse type " + type);
        };
    }

    private static Number number(Object value) {
        return value == null ? 0 : (Number) value;
    }

    /** Ticks of 10^-precision seconds since the epoch; an Instant's nanos are never negative, so earlier times floor too. */
    static long ticks(Instant time, int precision) {
        if (time == null) {
            return 0;
        }
        long scale = 1;
        for (int i = 0; i < precision; i++) {
            scale *= 10;
        }
        long perTick = 1_000_000_000L / scale;
        return time.getEpochSecond() * scale + time.getNano() / perTick;
    }

    /** What is between a type's outer parentheses: {@code Array(String)} → {@code String}. */
    private static String inner(String type) {
        return type.substring(type.indexOf('(') + 1, type.lastIndexOf(')'));
    }

    /** A type's arguments split at commas outside parentheses and quotes. */
    private static String[] splitTopLevel(String arguments) {
        int depth = 0;
        boolean quoted = false;
        for (int i = 0; i < arguments.length(); i++) {
            char c = arguments.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
            } else if (!quoted && c == '(') {
                depth++;
            } else if (!quoted && c == ')') {
                depth--;
            } else if (!quoted && depth == 0 && c == ',') {
                return new String[] {arguments.substring(0, i).strip(), arguments.substring(i + 1).strip()};
            }
        }
        return new String[] {arguments.strip()};
    }

    /** A growable byte buffer with RowBinary's primitives; not thread-safe (one insert fills one). */
    static final class Buffer {
        private byte[] bytes = new byte[64 * 1024];
        private int size;

        int size() {
            return size;
        }

        byte[] array() {
            return bytes;
        }

        void write(int b) {
            ensure(1);
            bytes[size++] = (byte) b;
        }

        void int16(int v) {
            ensure(2);
            bytes[size++] = (byte) v;
            bytes[size++] = (byte) (v >>> 8);
        }

        void int32(int v) {
            ensure(4);
            for (int i = 0; i < 4; i++) {
                bytes[size++] = (byte) (v >>> (8 * i));
            }
        }

        void int64(long v) {
            ensure(8);
            for (int i = 0; i < 8; i++) {
                bytes[size++] = (byte) (v >>> (8 * i));
            }
        }

        void varint(long v) {
            ensure(10);
            long rest = v;
            while ((rest & ~0x7FL) != 0) {
                bytes[size++] = (byte) ((rest & 0x7F) | 0x80);
                rest >>>= 7;
            }
            bytes[size++] = (byte) rest;
        }

        void string(String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            varint(utf8.length);
            ensure(utf8.length);
            System.arraycopy(utf8, 0, bytes, size, utf8.length);
            size += utf8.length;
        }

        private void ensure(int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }
    }
}
