package dev.lineagehub.otel.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lineagehub.otel.decode.SpanRow;
import dev.lineagehub.otel.decode.SpanRows;

import com.google.protobuf.ByteString;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Spans with any times an int64 holds — zero, 1970, far future, spread over centuries, ends before
 * starts — made with OTLP's builders, decoded and inserted through one partition's inserter on the real
 * engine: every span is stored once, with its start to the nanosecond and the exporter's duration
 * (end - start, negative when the end is first), however many days and inserts the batch spans.
 */
class SpanTimesPropertiesTest {

    private static final long DAY_NANOS = Duration.ofDays(1).toNanos();
    private static final long NOW_NANOS = Instant.now().getEpochSecond() * 1_000_000_000L;
    private static final AtomicInteger TRIES = new AtomicInteger();
    private static InserterHarness harness;

    record Times(long start, long end) {
    }

    @BeforeContainer
    static void startClickHouse() throws Exception {
        harness = new InserterHarness();
    }

    @AfterContainer
    static void stopClickHouse() {
        harness.close();
    }

    @Property(tries = 25)
    void everySpanIsStoredWithTheExportersTimes(@ForAll("times") @Size(min = 1, max = 40) List<Times> times) throws Exception {
        harness.clickhouse.query("TRUNCATE TABLE IF EXISTS otel.otel_traces");
        harness.topicId = "try-" + TRIES.incrementAndGet();
        BatchInserter<SpanRow> inserter = harness.inserter(1_000);
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        Map<String, String> expected = new HashMap<>();
        for (int r = 0; r < times.size(); r++) {
            Times t = times.get(r);
            List<SpanRow> rows = SpanRows.of(request(r, t));
            expected.put(rows.get(0).spanId(), t.start() + "\t" + (t.end() - t.start()));
            futures.add(inserter.queue(InserterHarness.source(r), rows).inserted());
        }
        assertThat(InserterHarness.outcomes(futures)).containsOnly("stored");
        Map<String, String> stored = new HashMap<>();
        harness.clickhouse.query("SELECT SpanId, toUnixTimestamp64Nano(Timestamp), reinterpretAsInt64(Duration) FROM otel.otel_traces").lines()
                .map(line -> line.split("\t", 2)).forEach(cells -> stored.merge(cells[0], cells[1], (a, b) -> "twice"));
        assertThat(stored).isEqualTo(expected);
        harness.closeOldest();
    }

    @Provide
    Arbitrary<List<Times>> times() {
        Arbitrary<Long> start = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.of(0L, 1L, Long.MAX_VALUE, NOW_NANOS, DAY_NANOS - 1)),
                Tuple.of(3, Arbitraries.longs().between(0, Long.MAX_VALUE)),
                Tuple.of(3, Arbitraries.longs().between(-400, 400).map(days -> NOW_NANOS + days * DAY_NANOS)));
        return start.flatMap(s -> Arbitraries.frequencyOf(
                        Tuple.of(3, Arbitraries.longs().between(0, Duration.ofHours(1).toNanos()).map(d -> s + Math.min(d, Long.MAX_VALUE - s))),
                        Tuple.of(1, Arbitraries.longs().between(0, Long.MAX_VALUE)))
                .map(end -> new Times(s, end))).list();
    }

    private static ExportTraceServiceRequest request(int id, Times times) {
        Span span = Span.newBuilder()
                .setTraceId(ByteString.copyFrom(ByteBuffer.allocate(16).putLong(1).putLong(id + 1).array()))
                .setSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(id + 1).array()))
                .setName("GET /orders").setKind(Span.SpanKind.SPAN_KIND_SERVER)
                .setStartTimeUnixNano(times.start()).setEndTimeUnixNano(times.end()).build();
        return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .addScopeSpans(ScopeSpans.newBuilder().addSpans(span))).build();
    }
}
