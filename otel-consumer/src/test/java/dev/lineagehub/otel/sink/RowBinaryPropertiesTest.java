package dev.lineagehub.otel.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lineagehub.otel.testing.OtelClickHouse;
import dev.lineagehub.testing.clickhouse.ClickHouseHttpFixture;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * RowBinary as the real engine reads it: any strings (every Unicode plane, control characters, empty), maps, arrays,
 * the unsigned and floating extremes and times before 1970 or far ahead, written by {@link RowBinaryInsert} and read
 * back bit for bit. A value the encoder cannot write is refused before anything is sent.
 */
class RowBinaryPropertiesTest {

    private static final List<String> COLUMNS = List.of("Id", "Text", "Name", "Attributes", "Counts", "Bounds", "Times", "Time", "Seconds",
            "Flags", "Scale", "Total", "Ratio", "Monotonic", "Maybe");
    private static final AtomicInteger TOKENS = new AtomicInteger();
    private static ClickHouseHttpFixture clickhouse;

    record Row(long id, String text, String name, Map<String, String> attributes, List<Long> counts, List<Double> bounds,
               List<Instant> times, Instant time, Instant seconds, int flags, int scale, long total, double ratio, boolean monotonic,
               String maybe) {

        Object[] values() {
            return new Object[] {id, text, name, attributes, counts, bounds, times, time, seconds, flags, scale, total, ratio, monotonic,
                maybe};
        }
    }

    @BeforeContainer
    static void start() throws Exception {
        clickhouse = new ClickHouseHttpFixture(Files.createTempDirectory("chdb"));
        clickhouse.query("CREATE DATABASE IF NOT EXISTS rb");
        clickhouse.query("CREATE TABLE rb.t (Id UInt64, Text String, Name LowCardinality(String), "
                + "Attributes Map(LowCardinality(String), String), Counts Array(UInt64), Bounds Array(Float64), "
                + "Times Array(DateTime64(9)), Time DateTime64(9), Seconds DateTime, Flags UInt32, Scale Int32, Total UInt64, "
                + "Ratio Float64, Monotonic Bool, Maybe Nullable(String), Extra String DEFAULT 'x') ENGINE = MergeTree ORDER BY Id");
    }

    @AfterContainer
    static void stop() {
        clickhouse.close();
    }

    @Property(tries = 30)
    void everyValueIsReadBackBitForBit(@ForAll("rows") @Size(min = 1, max = 20) List<Row> rows) throws Exception {
        clickhouse.query("TRUNCATE TABLE rb.t");
        List<Row> numbered = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            numbered.add(new Row(i, r.text(), r.name(), r.attributes(), r.counts(), r.bounds(), r.times(), r.time(), r.seconds(), r.flags(),
                    r.scale(), r.total(), r.ratio(), r.monotonic(), r.maybe()));
        }
        try (Connection connection = OtelClickHouse.connect(clickhouse)) {
            new RowBinaryInsert("rb").insert(connection, "t", COLUMNS, numbered, Row::values, "rb-" + TOKENS.incrementAndGet());
        }
        List<String> stored = clickhouse.query("SELECT Id, hex(Text), hex(Name), "
                + "arrayStringConcat(arraySort(arrayMap((k, v) -> concat(hex(k), ':', hex(v)), mapKeys(Attributes), mapValues(Attributes))), ','), "
                + "arrayStringConcat(arrayMap(c -> toString(c), Counts), ','), "
                + "arrayStringConcat(arrayMap(b -> toString(reinterpretAsInt64(b)), Bounds), ','), "
                + "arrayStringConcat(arrayMap(t -> toString(toUnixTimestamp64Nano(t)), Times), ','), "
                + "toUnixTimestamp64Nano(Time), toUnixTimestamp(Seconds), Flags, Scale, Total, reinterpretAsInt64(Ratio), Monotonic, "
                + "ifNull(hex(Maybe), 'NULL'), Extra FROM rb.t ORDER BY Id").lines().toList();
        assertThat(stored).containsExactlyElementsOf(numbered.stream().map(RowBinaryPropertiesTest::expected).toList());
    }

    @Property(tries = 200)
    void ticksOfAnyTimeAreItsNanosecondsScaled(@ForAll("instants") Instant time) {
        long nanos = time.getEpochSecond() * 1_000_000_000L + time.getNano();
        assertThat(RowBinary.ticks(time, 9)).isEqualTo(nanos);
        assertThat(RowBinary.ticks(time, 3)).isEqualTo(Math.floorDiv(nanos, 1_000_000L));
        assertThat(RowBinary.ticks(time, 0)).isEqualTo(time.getEpochSecond());
    }

    @Example
    void aTypeItCannotWriteIsRefusedByTheClientNotSentAsAnything() throws Exception {
        clickhouse.query("CREATE TABLE IF NOT EXISTS rb.odd (Id UInt64, Point Tuple(Float64, Float64)) ENGINE = MergeTree ORDER BY Id");
        try (Connection connection = OtelClickHouse.connect(clickhouse)) {
            assertThatThrownBy(() -> new RowBinaryInsert("rb").insert(connection, "odd", List.of("Id", "Point"), List.of(1),
                    n -> new Object[] {1L, List.of(1.0, 2.0)}, "odd-1")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("cannot write ClickHouse type Tuple(Float64, Float64)");
            assertThatThrownBy(() -> new RowBinaryInsert("rb").insert(connection, "odd", List.of("Id", "Nope"), List.of(1),
                    n -> new Object[] {1L, 2L}, "odd-2")).isInstanceOf(IllegalStateException.class).hasMessageContaining("has no column Nope");
        }
        assertThat(clickhouse.query("SELECT count() FROM rb.odd")).isEqualTo("0");
    }

    private static String expected(Row r) {
        String attributes = r.attributes().entrySet().stream().map(e -> hex(e.getKey()) + ":" + hex(e.getValue())).sorted()
                .collect(Collectors.joining(","));
        return String.join("\t", String.valueOf(r.id()), hex(r.text()), hex(r.name()), attributes,
                r.counts().stream().map(Long::toUnsignedString).collect(Collectors.joining(",")),
                r.bounds().stream().map(b -> String.valueOf(Double.doubleToRawLongBits(b))).collect(Collectors.joining(",")),
                r.times().stream().map(t -> String.valueOf(RowBinary.ticks(t, 9))).collect(Collectors.joining(",")),
                String.valueOf(RowBinary.ticks(r.time(), 9)), String.valueOf(r.seconds().getEpochSecond()), Integer.toUnsignedString(r.flags()),
                String.valueOf(r.scale()), Long.toUnsignedString(r.total()), String.valueOf(Double.doubleToRawLongBits(r.ratio())),
                String.valueOf(r.monotonic()), r.maybe() == null ? "NULL" : hex(r.maybe()), "x");
    }

    private static String hex(String text) {
        return HexFormat.of().withUpperCase().formatHex(text.getBytes(StandardCharsets.UTF_8));
    }

    @Provide
    Arbitrary<List<Row>> rows() {
        Arbitrary<String> text = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(30), Arbitraries.strings().all().ofMaxLength(8),
                Arbitraries.of("", "\u0000", "\t\n", "漢字", "\uD83D\uDE00"));
        Arbitrary<Long> unsigned = Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.of(0L, -1L, Long.MIN_VALUE, Long.MAX_VALUE));
        Arbitrary<Double> doubles = Arbitraries.oneOf(Arbitraries.doubles(), Arbitraries.of(0.0, -0.0, Double.MAX_VALUE, Double.MIN_VALUE,
                Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY));
        // A map's pairs, in the order written, are compared sorted on both sides.
        Arbitrary<Map<String, String>> maps = Arbitraries.maps(text, text).ofMaxSize(5);
        Arbitrary<Instant> seconds = Arbitraries.longs().between(0, 4_294_967_295L).map(Instant::ofEpochSecond);
        List<Arbitrary<Object>> columns = List.of(text.asGeneric(), text.asGeneric(), maps.asGeneric(), unsigned.list().ofMaxSize(5).asGeneric(),
                doubles.list().ofMaxSize(5).asGeneric(), instants().list().ofMaxSize(4).asGeneric(), instants().asGeneric(), seconds.asGeneric(),
                Arbitraries.integers().asGeneric(), Arbitraries.integers().asGeneric(), unsigned.asGeneric(), doubles.asGeneric(),
                Arbitraries.of(true, false).asGeneric(), Arbitraries.oneOf(text, Arbitraries.just((String) null)).asGeneric());
        Arbitrary<Row> row = Combinators.combine(columns).as(RowBinaryPropertiesTest::row);
        return row.list();
    }

    @SuppressWarnings("unchecked")
    private static Row row(List<Object> v) {
        return new Row(0, (String) v.get(0), (String) v.get(1), (Map<String, String>) v.get(2), (List<Long>) v.get(3),
                (List<Double>) v.get(4), (List<Instant>) v.get(5), (Instant) v.get(6), (Instant) v.get(7), (Integer) v.get(8),
                (Integer) v.get(9), (Long) v.get(10), (Double) v.get(11), (Boolean) v.get(12), (String) v.get(13));
    }

    /** Times a DateTime64(9) holds: ±292 years around 1970, to the nanosecond. */
    @Provide
    Arbitrary<Instant> instants() {
        return Arbitraries.oneOf(Arbitraries.longs().map(nanos -> Instant.ofEpochSecond(0, nanos)),
                Arbitraries.of(Instant.EPOCH, Instant.ofEpochSecond(0, -1), Instant.ofEpochSecond(0, Long.MAX_VALUE)));
    }
}
