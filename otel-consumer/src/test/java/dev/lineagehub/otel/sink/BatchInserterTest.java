package dev.lineagehub.otel.sink;

import static dev.lineagehub.otel.sink.InserterHarness.outcomes;
import static dev.lineagehub.otel.sink.InserterHarness.source;
import static dev.lineagehub.otel.sink.InserterHarness.span;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lineagehub.otel.decode.SpanRow;
import dev.lineagehub.testing.clickhouse.ClickHouseHttpFixture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One partition's inserter on the real engine, each kind of refusal provoked on it: every record ends
 * stored once or, when ClickHouse refuses its rows on their own, refused with ClickHouse's code; none
 * waits for ever, and what ClickHouse cannot take now is waited out, never refused.
 */
class BatchInserterTest {

    private static final String INSERTS = "INSERT INTO otel.otel_traces (";
    private static final Instant TODAY = Instant.now().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofHours(12));

    private InserterHarness harness;
    private ClickHouseHttpFixture clickhouse;

    @BeforeEach
    void startClickHouse() throws Exception {
        harness = new InserterHarness();
        clickhouse = harness.clickhouse;
        clickhouse.count(INSERTS);
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    @ParameterizedTest(name = "{0} days")
    @CsvSource({"1, 1", "99, 1", "100, 1", "101, 2", "150, 2", "250, 3"})
    void rowsOnMoreDaysThanOneInsertMayTouchGoInSeveralInserts(int days, int inserts) throws Exception {
        BatchInserter<SpanRow> inserter = inserter(10_000);
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (int r = 0; r < days; r++) {
            futures.add(inserter.queue(source(r), List.of(span(r, "GET /orders", TODAY.minus(Duration.ofDays(r))))).inserted());
        }
        assertThat(outcomes(futures)).as("every record stored").containsOnly("stored");
        assertThat(storedSpans()).isEqualTo(days + "\t" + days);
        assertThat(clickhouse.statementsStartingWith(INSERTS)).as("inserts of at most 100 partitions each").isEqualTo(inserts);
    }

    /** Just under, at and just past the byte bound; a record larger than the bound is a batch of its own. */
    @ParameterizedTest(name = "records of {0} bytes")
    @CsvSource({"999, 3", "1000, 3", "1001, 4", "25000, 30"})
    void aBatchIsCutAtItsBytesWhateverItsRows(int recordBytes, int inserts) throws Exception {
        BatchInserter<SpanRow> inserter = harness.inserter(10_000, 10_000);
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (int r = 0; r < 30; r++) {
            futures.add(inserter.queue(InserterHarness.source(r, recordBytes), List.of(span(r, "GET /orders", TODAY))).inserted());
        }
        assertThat(outcomes(futures)).containsOnly("stored");
        assertThat(storedSpans()).isEqualTo("30\t30");
        assertThat(clickhouse.statementsStartingWith(INSERTS)).isEqualTo(inserts);
    }

    @Test
    void onlyTheRecordsClickHouseRefusesOnTheirOwnAreRefused() throws Exception {
        connectOnce();
        clickhouse.query("ALTER TABLE otel.otel_traces ADD CONSTRAINT no_poison CHECK SpanName != 'poison'");
        Set<Integer> poisoned = Set.of(0, 17, 18, 150, 199);
        BatchInserter<SpanRow> inserter = inserter(10_000);
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (int r = 0; r < 200; r++) {
            futures.add(inserter.queue(source(r), List.of(span(r, poisoned.contains(r) ? "poison" : "GET /orders", TODAY))).inserted());
        }
        List<String> outcomes = outcomes(futures);
        for (int r = 0; r < 200; r++) {
            assertThat(outcomes.get(r)).as("record %d", r)
                    .isEqualTo(poisoned.contains(r) ? "refused: ClickHouse code 469 VIOLATED_CONSTRAINT" : "stored");
        }
        assertThat(storedSpans()).isEqualTo("195\t195");
    }

    @Test
    void aReadOnlyServerIsWaitedOutAndNothingIsRefused() throws Exception {
        clickhouse.withSettings("INSERT INTO otel.", Map.of("readonly", "1"), 12);
        assertEveryRecordStoredDespiteTheFault();
    }

    @Test
    void aProxysBadGatewayIsWaitedOutAndNothingIsRefused() throws Exception {
        connectOnce();
        clickhouse.answerAsProxy(502, 8);
        assertEveryRecordStoredDespiteTheFault();
    }

    @Test
    void clickHouseNotAnsweringIsWaitedOutAndNothingIsRefused() throws Exception {
        connectOnce();
        clickhouse.down();
        harness.timer().schedule(() -> {
            try {
                clickhouse.up();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, 1, TimeUnit.SECONDS);
        assertEveryRecordStoredDespiteTheFault();
    }

    @Test
    void aMemoryLimitIsWaitedOutAndNothingIsRefused() throws Exception {
        clickhouse.withSettings(INSERTS, Map.of("max_memory_usage", "1"), 6);
        assertEveryRecordStoredDespiteTheFault();
    }

    @Test
    void aLowerPartitionLimitThanTheSessionsIsFoundByIsolationAndNothingIsRefused() throws Exception {
        // Only the inserts run under the lower limit: the planner read 100, ClickHouse refuses past 2.
        clickhouse.withSettings(INSERTS, Map.of("max_partitions_per_insert_block", "2"), 1_000);
        BatchInserter<SpanRow> inserter = inserter(10_000);
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (int r = 0; r < 10; r++) {
            futures.add(inserter.queue(source(r), List.of(span(r, "GET /orders", TODAY.minus(Duration.ofDays(r))))).inserted());
        }
        assertThat(outcomes(futures)).containsOnly("stored");
        assertThat(storedSpans()).isEqualTo("10\t10");
    }

    @Test
    void theSameRangesFormedAgainAfterARestartAreStoredOnce() throws Exception {
        connectOnce();
        clickhouse.query("ALTER TABLE otel.otel_traces ADD CONSTRAINT no_poison CHECK SpanName != 'poison'");
        List<CompletableFuture<Void>> first = queueSpread(inserter(7), 0, 40);
        assertThat(outcomes(first)).filteredOn("stored"::equals).hasSize(39);
        harness.closeOldest();
        // The next owner of the partition gets the same records (nothing was committed) with other batch settings.
        List<CompletableFuture<Void>> again = queueSpread(inserter(1_000), 0, 60);
        assertThat(outcomes(again)).filteredOn("stored"::equals).hasSize(59);
        assertThat(storedSpans()).isEqualTo("59\t59");
    }

    @Test
    void aTopicCreatedAgainIsNewDataAtTheSameOffsets() throws Exception {
        assertThat(outcomes(queueSpread(inserter(10), 0, 30))).containsOnly("stored");
        harness.closeOldest();
        harness.topicId = "id-2";
        assertThat(outcomes(queueSpread(inserter(10), 0, 30, 1_000))).containsOnly("stored");
        assertThat(storedSpans()).isEqualTo("60\t60");
    }

    private void assertEveryRecordStoredDespiteTheFault() throws Exception {
        List<CompletableFuture<Void>> futures = queueSpread(inserter(10), 0, 100);
        assertThat(outcomes(futures)).containsOnly("stored");
        assertThat(storedSpans()).isEqualTo("100\t100");
        assertThat(harness.retried.get()).as("the fault was met").isPositive();
    }

    /** Makes the schema exist before a fault that would stop the first connection. */
    private void connectOnce() throws Exception {
        new ClickHouse(harness.settings(10)).connect().close();
    }

    /** Records {@code from} until {@code to}, one span each, every seventh named "poison", on a few days. */
    private List<CompletableFuture<Void>> queueSpread(BatchInserter<SpanRow> inserter, int from, int to) {
        return queueSpread(inserter, from, to, 0);
    }

    private List<CompletableFuture<Void>> queueSpread(BatchInserter<SpanRow> inserter, int from, int to, int idOffset) {
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (int r = from; r < to; r++) {
            String name = r == 33 ? "poison" : "GET /orders";
            futures.add(inserter.queue(source(r), List.of(span(r + idOffset, name, TODAY.minus(Duration.ofDays(r % 3))))).inserted());
        }
        return futures;
    }

    private String storedSpans() {
        return harness.storedSpans();
    }

    private BatchInserter<SpanRow> inserter(int batchRows) {
        return harness.inserter(batchRows);
    }
}
