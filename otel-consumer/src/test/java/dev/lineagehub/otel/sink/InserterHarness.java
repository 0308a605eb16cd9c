package dev.lineagehub.otel.sink;

import dev.lineagehub.delivery.PermanentDeliveryException;
import dev.lineagehub.delivery.RetryPolicy;
import dev.lineagehub.delivery.flow.SinkHealth;
import dev.lineagehub.delivery.SourceRecord;
import dev.lineagehub.otel.config.ClickHouseSettings;
import dev.lineagehub.otel.decode.SpanRow;
import dev.lineagehub.otlp.Encoding;
import dev.lineagehub.testing.clickhouse.ClickHouseHttpFixture;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.TaskId;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Span inserters of one partition on the real engine, with what their tests ask about the outcome. */
final class InserterHarness implements AutoCloseable {

    static final String TOPIC = "otlp_spans";

    final ClickHouseHttpFixture clickhouse;
    final AtomicInteger retried = new AtomicInteger();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final List<BatchInserter<SpanRow>> inserters = new ArrayList<>();
    /** The Kafka id of the topic the next inserters read. */
    volatile String topicId = "id-1";

    InserterHarness() throws Exception {
        clickhouse = new ClickHouseHttpFixture(Files.createTempDirectory("chdb"));
    }

    BatchInserter<SpanRow> inserter(int batchRows) {
        return inserter(batchRows, Long.MAX_VALUE);
    }

    BatchInserter<SpanRow> inserter(int batchRows, long batchBytes) {
        ClickHouse engine = new ClickHouse(settings(batchRows));
        SinkHealth health = new SinkHealth("ClickHouse", new ClickHouseSink(engine, executor)::probe, timer, Duration.ofMillis(20));
        BatchInserter.Shared shared = new BatchInserter.Shared(engine, health, new RetryPolicy(Duration.ofMillis(20),
                Duration.ofMillis(200), 5), executor, timer, batchRows, batchBytes, Duration.ofMillis(50), retried::addAndGet,
                topic -> topicId, System::nanoTime);
        BatchInserter<SpanRow> inserter = new BatchInserter<>(shared, new SpanTable("otel"), TOPIC, 0);
        inserters.add(inserter);
        return inserter;
    }

    /** Closes the inserter first made and not closed yet, as a revoked partition does. */
    void closeOldest() {
        inserters.remove(0).close();
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    ClickHouseSettings settings(int batchRows) {
        return new ClickHouseSettings(clickhouse.jdbcUrl(), "default", "", "otel", true, Duration.ZERO, TOPIC, Encoding.OTLP_PROTO,
                "", Encoding.OTLP_PROTO, "", Encoding.OTLP_PROTO, "", batchRows, Long.MAX_VALUE, Duration.ofMillis(50), Long.MAX_VALUE);
    }

    /** "count\tdistinct span ids" of the traces table. */
    String storedSpans() {
        return clickhouse.query("SELECT count(), uniqExact(SpanId) FROM otel.otel_traces");
    }

    /** "stored", "refused: <sink status>" or "failed: <cause>" for each record, in order. */
    static List<String> outcomes(List<CompletableFuture<Void>> futures) throws Exception {
        List<String> outcomes = new ArrayList<>();
        for (CompletableFuture<Void> future : futures) {
            try {
                future.get(60, TimeUnit.SECONDS);
                outcomes.add("stored");
            } catch (ExecutionException e) {
                outcomes.add(e.getCause() instanceof PermanentDeliveryException refused ? "refused: " + refused.sinkStatus()
                        : "failed: " + e.getCause());
            }
        }
        return outcomes;
    }

    static SourceRecord source(long offset) {
        return source(offset, 0);
    }

    /** A record whose value, as read from Kafka, is this many bytes. */
    static SourceRecord source(long offset, int valueBytes) {
        return new SourceRecord(TOPIC, 0, offset, 0, new RecordHeaders(), null, new byte[valueBytes], new TaskId(0, 0), "test");
    }

    static SpanRow span(int id, String name, Instant start) {
        return span(id, name, start.getEpochSecond() * 1_000_000_000L + start.getNano());
    }

    static SpanRow span(int id, String name, long startNanos) {
        return new SpanRow(startNanos, String.format("%032x", id + 1), String.format("%016x", id + 1), "", "", name, "Server",
                "checkout", Map.of(), "", "", Map.of(), 1_000, "Ok", "", List.of(), List.of());
    }

    @Override
    public void close() {
        inserters.forEach(BatchInserter::close);
        timer.shutdownNow();
        executor.shutdownNow();
        clickhouse.close();
    }
}
