package dev.lineagehub.otel.decode;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;

import com.google.protobuf.ByteString;

import org.junit.jupiter.api.Test;

import java.util.List;

/** Each rule of pdata's {@code Value.AsString()}, which the exporter stores, with values of our own. */
class AttributeValuesTest {

    private static AnyValue d(double value) {
        return AnyValue.newBuilder().setDoubleValue(value).build();
    }

    private static AnyValue s(String value) {
        return AnyValue.newBuilder().setStringValue(value).build();
    }

    private static AnyValue array(AnyValue... values) {
        return AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder().addAllValues(List.of(values))).build();
    }

    private static AnyValue map(Object... keysAndValues) {
        KeyValueList.Builder list = KeyValueList.newBuilder();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            list.addValues(KeyValue.newBuilder().setKey((String) keysAndValues[i]).setValue((AnyValue) keysAndValues[i + 1]));
        }
        return AnyValue.newBuilder().setKvlistValue(list).build();
    }

    @Test
    void doublesPrintLikeJavaScriptNumbers() {
        assertThat(AttributeValues.text(d(1.0))).isEqualTo("1");
        assertThat(AttributeValues.text(d(100))).isEqualTo("100");
        assertThat(AttributeValues.text(d(-2.5))).isEqualTo("-2.5");
        assertThat(AttributeValues.text(d(0.1 + 0.2))).isEqualTo("0.30000000000000004");
        assertThat(AttributeValues.text(d(123456789.125))).isEqualTo("123456789.125");
        assertThat(AttributeValues.text(d(1e20))).isEqualTo("100000000000000000000");
        assertThat(AttributeValues.text(d(1e21))).isEqualTo("1e+21");
        assertThat(AttributeValues.text(d(2.5e22))).isEqualTo("2.5e+22");
        assertThat(AttributeValues.text(d(0.000001))).isEqualTo("0.000001");
        assertThat(AttributeValues.text(d(1.5e-7))).isEqualTo("1.5e-7");
        assertThat(AttributeValues.text(d(-1e-7))).isEqualTo("-1e-7");
        assertThat(AttributeValues.text(d(5e-324))).isEqualTo("5e-324");
        assertThat(AttributeValues.text(d(1e23))).isEqualTo("1e+23");
        assertThat(AttributeValues.text(d(Double.MAX_VALUE))).isEqualTo("1.7976931348623157e+308");
        assertThat(AttributeValues.text(d(0.0))).isEqualTo("0");
        assertThat(AttributeValues.text(d(-0.0))).isEqualTo("-0");
        assertThat(AttributeValues.text(d(Double.NaN))).isEqualTo("json: unsupported value: NaN");
        assertThat(AttributeValues.text(d(Double.NEGATIVE_INFINITY))).isEqualTo("json: unsupported value: -Inf");
    }

    @Test
    void scalarsAndBytes() {
        assertThat(AttributeValues.text(s("plain <b> & \"q\""))).isEqualTo("plain <b> & \"q\"");
        assertThat(AttributeValues.text(AnyValue.newBuilder().setBoolValue(true).build())).isEqualTo("true");
        assertThat(AttributeValues.text(AnyValue.newBuilder().setIntValue(-42).build())).isEqualTo("-42");
        assertThat(AttributeValues.text(AnyValue.newBuilder().setBytesValue(ByteString.copyFrom(new byte[] {1, 2, (byte) 255})).build()))
                .isEqualTo("AQL/");
        assertThat(AttributeValues.text(AnyValue.getDefaultInstance())).isEmpty();
    }

    @Test
    void arraysAndMapsAreGoJsonWithSortedKeysAndHtmlSafeStrings() {
        assertThat(AttributeValues.text(array(d(1.0), d(1e21), s("a<b>&c"), AnyValue.newBuilder().setBoolValue(false).build(),
                AnyValue.getDefaultInstance(), AnyValue.newBuilder().setBytesValue(ByteString.copyFromUtf8("hi")).build())))
                .isEqualTo("[1,1e+21,\"a\\u003cb\\u003e\\u0026c\",false,null,\"aGk=\"]");
        assertThat(AttributeValues.text(map("zeta", d(2.0), "alpha", s("x\n\t\u0001"), "Beta", map("y", d(0.5), "x", array()))))
                .isEqualTo("{\"Beta\":{\"x\":[],\"y\":0.5},\"alpha\":\"x\\n\\t\\u0001\",\"zeta\":2}");
        assertThat(AttributeValues.text(map("k", s("first"), "k", s("last")))).as("the last of a repeated key").isEqualTo("{\"k\":\"last\"}");
        assertThat(AttributeValues.text(map("é", d(1), "z", d(2), "\uD83D\uDE00", d(3))))
                .as("keys in byte order of their UTF-8").isEqualTo("{\"z\":2,\"é\":1,\"\uD83D\uDE00\":3}");
        assertThat(AttributeValues.text(array(d(1), d(Double.NaN)))).as("json.Marshal failed: AsString ignores the error").isEmpty();
    }
}
