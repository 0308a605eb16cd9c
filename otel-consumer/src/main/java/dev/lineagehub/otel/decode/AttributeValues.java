package dev.lineagehub.otel.decode;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;

import com.fasterxml.jackson.core.io.schubfach.DoubleToDecimal;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Attribute values as the Collector's ClickHouse exporter stores them: the text of pdata's
 * {@code Value.AsString()}. Strings as they are; booleans and integers printed; doubles the way
 * JavaScript (and Go's encoding/json) prints numbers, shortest digits, plain between 1e-6 and 1e21,
 * exponent otherwise ({@code 1}, {@code 100000000000000000000}, {@code 1e+21}, {@code 1.5e-7}); bytes
 * in base64; arrays and maps as Go's {@code json.Marshal} writes them (map keys sorted by their
 * bytes, the last of a repeated key kept, {@code <>&} escaped). A double that JSON cannot hold
 * (NaN, ±Inf) reads as Go's error text at the top level and empties an array or map holding it, as
 * {@code AsString} ignores the marshalling error.
 */
public final class AttributeValues {

    private AttributeValues() {
    }

    /** An attribute list as the exporter's {@code Map(String, String)}: the last of a repeated key wins. */
    public static Map<String, String> of(List<KeyValue> attributes) {
        Map<String, String> map = new LinkedHashMap<>();
        for (KeyValue attribute : attributes) {
            map.put(attribute.getKey(), text(attribute.getValue()));
        }
        return map;
    }

    /** pdata's {@code Value.AsString()}. */
    public static String text(AnyValue value) {
        return switch (value.getValueCase()) {
            case STRING_VALUE -> value.getStringValue();
            case BOOL_VALUE -> String.valueOf(value.getBoolValue());
            case INT_VALUE -> String.valueOf(value.getIntValue());
            case DOUBLE_VALUE -> Double.isFinite(value.getDoubleValue()) ? number(value.getDoubleValue())
                    : "json: unsupported value: " + goSpecial(value.getDoubleValue());
            case BYTES_VALUE -> Base64.getEncoder().encodeToString(value.getBytesValue().toByteArray());
            case ARRAY_VALUE, KVLIST_VALUE -> {
                StringBuilder out = new StringBuilder();
                yield json(value, out) ? out.toString() : "";
            }
            default -> "";
        };
    }

    /** Appends the value as JSON; false when it holds a number JSON cannot represent. */
    private static boolean json(AnyValue value, StringBuilder out) {
        switch (value.getValueCase()) {
            case STRING_VALUE -> quote(value.getStringValue(), out);
            case BOOL_VALUE -> out.append(value.getBoolValue());
            case INT_VALUE -> out.append(value.getIntValue());
            case DOUBLE_VALUE -> {
                if (!Double.isFinite(value.getDoubleValue())) {
                    return false;
                }
                out.append(number(value.getDoubleValue()));
            }
            case BYTES_VALUE -> out.append('"').append(Base64.getEncoder().encodeToString(value.getBytesValue().toByteArray())).append('"');
            case ARRAY_VALUE -> {
                out.append('[');
                List<AnyValue> values = value.getArrayValue().getValuesList();
                for (int i = 0; i < values.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    if (!json(values.get(i), out)) {
                        return false;
                    }
                }
                out.append(']');
            }
            case KVLIST_VALUE -> {
                Map<byte[], AnyValue> sorted = new TreeMap<>(Arrays::compareUnsigned);
                for (KeyValue entry : value.getKvlistValue().getValuesList()) {
                    sorted.put(entry.getKey().getBytes(StandardCharsets.UTF_8), entry.getValue());
                }
                out.append('{');
                boolean first = true;
                for (Map.Entry<byte[], AnyValue> entry : sorted.entrySet()) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    quote(new String(entry.getKey(), StandardCharsets.UTF_8), out);
                    out.append(':');
                    if (!json(entry.getValue(), out)) {
                        return false;
                    }
                }
                out.append('}');
            }
            default -> out.append("null");
        }
        return true;
    }

    /** ES6 Number-to-String, as Go's encoding/json and pdata print a float64. */
    static String number(double value) {
        if (value == 0) {
            return 1 / value < 0 ? "-0" : "0";
        }
        BigDecimal shortest = new BigDecimal(DoubleToDecimal.toString(value)).stripTrailingZeros();
        // Java prints at least two digits (4.9E-324) where one reads back as the same double (5e-324).
        BigDecimal oneDigit = shortest.round(new MathContext(1, RoundingMode.HALF_EVEN));
        if (shortest.precision() == 2 && oneDigit.doubleValue() == value) {
            shortest = oneDigit.stripTrailingZeros();
        }
        double magnitude = Math.abs(value);
        if (magnitude >= 1e-6 && magnitude < 1e21) {
            return shortest.toPlainString();
        }
        String digits = shortest.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - shortest.scale();
        return (value < 0 ? "-" : "") + digits.charAt(0) + (digits.length() > 1 ? "." + digits.substring(1) : "")
                + "e" + (exponent < 0 ? "-" : "+") + Math.abs(exponent);
    }

    private static String goSpecial(double value) {
        return Double.isNaN(value) ? "NaN" : value > 0 ? "+Inf" : "-Inf";
    }

    /** A JSON string as Go's encoder writes it, HTML-safe. */
    private static void quote(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '<', '>', '&', '\u2028', '\u2029' -> out.append(String.format("\\u%04x", (int) c));
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
