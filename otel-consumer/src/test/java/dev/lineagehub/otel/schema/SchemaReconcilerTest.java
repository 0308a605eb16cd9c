package dev.lineagehub.otel.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lineagehub.testing.clickhouse.ClickHouseHttpFixture;
import dev.lineagehub.otel.testing.OtelClickHouse;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

/** Tables someone else created, brought up to the schema otel-consumer writes, on the real engine. */
class SchemaReconcilerTest {

    private static ClickHouseHttpFixture clickhouse;

    @BeforeAll
    static void start() throws Exception {
        clickhouse = new ClickHouseHttpFixture(Files.createTempDirectory("chdb"));
    }

    @AfterAll
    static void stop() {
        clickhouse.close();
    }

    @Test
    void aTableLackingColumnsGetsThemAndCompatibleTypesAreAccepted() throws Exception {
        clickhouse.query("CREATE DATABASE older");
        // An older exporter's logs table: no scope columns, no EventName; SeverityText as a plain String, a column of its own.
        clickhouse.query("CREATE TABLE older.otel_logs (Timestamp DateTime64(9), TraceId String, SpanId String, TraceFlags UInt8, "
                + "SeverityText String, SeverityNumber UInt8, ServiceName LowCardinality(String), Body String, "
                + "ResourceAttributes Map(LowCardinality(String), String), LogAttributes Map(LowCardinality(String), String), "
                + "Team String DEFAULT 'x') ENGINE = MergeTree ORDER BY Timestamp");
        List<String> added;
        try (Connection connection = OtelClickHouse.connect(clickhouse); Statement statement = connection.createStatement()) {
            added = new SchemaReconciler("older", List.of(OtelSchema.LOGS)).reconcile(statement);
        }
        assertThat(added).anySatisfy(alter -> assertThat(alter).contains("`EventName` String"))
                .anySatisfy(alter -> assertThat(alter).contains("`ScopeAttributes` Map(LowCardinality(String), String)"))
                .noneSatisfy(alter -> assertThat(alter).contains("SeverityText"));
        assertThat(clickhouse.query("SELECT count() FROM system.columns WHERE database = 'older' AND table = 'otel_logs' "
                + "AND name IN ('EventName', 'ScopeName', 'ScopeVersion', 'ScopeAttributes', 'ResourceSchemaUrl', 'Team')")).isEqualTo("6");
        assertThat(clickhouse.query("SELECT count() FROM system.databases WHERE startsWith(name, 'older_lineagehub_expected')"))
                .as("the scratch database is gone").isEqualTo("0");
    }

    @Test
    void aColumnThatCannotTakeTheRowsRefusesNamingTableColumnAndTypes() throws Exception {
        clickhouse.query("CREATE DATABASE conflicting");
        clickhouse.query("CREATE TABLE conflicting.otel_traces (Timestamp DateTime64(9), TraceId String, Duration String) "
                + "ENGINE = MergeTree ORDER BY Timestamp");
        try (Connection connection = OtelClickHouse.connect(clickhouse); Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> new SchemaReconciler("conflicting", List.of(OtelSchema.TRACES)).reconcile(statement))
                    .isInstanceOf(SchemaReconciler.SchemaConflictException.class)
                    .hasMessageContaining("otel_traces.Duration is String, otel-consumer writes UInt64");
        }
        assertThat(clickhouse.query("SELECT count() FROM system.columns WHERE database = 'conflicting' AND table = 'otel_traces'"))
                .as("nothing altered when refusing").isEqualTo("3");
    }

    @Test
    void aScratchDatabaseLeftByAKilledInstanceIsDroppedOnceStaleAndARecentOneIsNot() throws Exception {
        clickhouse.query("CREATE DATABASE IF NOT EXISTS leftover");
        clickhouse.query("CREATE DATABASE leftover_lineagehub_expected_1000_dead");
        String recent = "leftover_lineagehub_expected_" + System.currentTimeMillis() + "_alive";
        clickhouse.query("CREATE DATABASE " + recent);
        try (Connection connection = OtelClickHouse.connect(clickhouse); Statement statement = connection.createStatement()) {
            new SchemaReconciler("leftover", List.of(OtelSchema.LOGS)).reconcile(statement);
        }
        assertThat(clickhouse.query("SELECT name FROM system.databases WHERE startsWith(name, 'leftover_') ORDER BY name"))
                .as("another instance may still be comparing in the recent one").isEqualTo(recent);
    }

    /**
     * A database the Collector's exporter created, with the pinned templates or with the release before their last
     * change (no T64, alias columns or separate primary key on otel_traces; a trace-id table of plain DateTime sorted by
     * (TraceId, Start)): no false conflict through the trace-id view, deduplication switched on, and the tables take
     * rows and fill the trace-id table as before.
     */
    @Test
    void theExportersOwnTablesOfThisAndThePreviousSchemaTakeOurRowsWithoutAConflict() throws Exception {
        clickhouse.query("CREATE DATABASE pinned");
        for (String create : new OtelSchema("pinned", Duration.ZERO).createStatements()) {
            clickhouse.query(create.replace(", non_replicated_deduplication_window = " + OtelSchema.DEDUPLICATION_WINDOW, ""));
        }
        clickhouse.query("CREATE DATABASE previous");
        clickhouse.query("CREATE TABLE previous.otel_traces (Timestamp DateTime64(9) CODEC(Delta, ZSTD(1)), TraceId String, SpanId String, "
                + "ParentSpanId String, TraceState String, SpanName LowCardinality(String), SpanKind LowCardinality(String), "
                + "ServiceName LowCardinality(String), ResourceAttributes Map(LowCardinality(String), String), ScopeName String, "
                + "ScopeVersion String, SpanAttributes Map(LowCardinality(String), String), Duration UInt64 CODEC(ZSTD(1)), "
                + "StatusCode LowCardinality(String), StatusMessage String, "
                + "Events Nested (Timestamp DateTime64(9), Name LowCardinality(String), Attributes Map(LowCardinality(String), String)), "
                + "Links Nested (TraceId String, SpanId String, TraceState String, Attributes Map(LowCardinality(String), String))) "
                + "ENGINE = MergeTree PARTITION BY toDate(Timestamp) ORDER BY (ServiceName, SpanName, toDateTime(Timestamp)) "
                + "SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1");
        clickhouse.query("CREATE TABLE previous.otel_traces_trace_id_ts (TraceId String, Start DateTime, End DateTime) "
                + "ENGINE = MergeTree PARTITION BY toDate(Start) ORDER BY (TraceId, Start)");
        clickhouse.query("CREATE MATERIALIZED VIEW previous.otel_traces_trace_id_ts_mv TO previous.otel_traces_trace_id_ts AS SELECT "
                + "TraceId, min(Timestamp) AS Start, max(Timestamp) AS End FROM previous.otel_traces WHERE TraceId != '' GROUP BY TraceId");
        for (String database : List.of("pinned", "previous")) {
            List<String> alters;
            try (Connection connection = OtelClickHouse.connect(clickhouse); Statement statement = connection.createStatement()) {
                alters = new SchemaReconciler(database, OtelSchema.insertedTables()).reconcile(statement);
                for (String create : new OtelSchema(database, Duration.ZERO).createStatements()) {
                    statement.execute(create);
                }
            }
            assertThat(alters).as(database).contains("ALTER TABLE " + database + ".otel_traces MODIFY SETTING "
                    + "non_replicated_deduplication_window = " + OtelSchema.DEDUPLICATION_WINDOW)
                    .noneSatisfy(alter -> assertThat(alter).contains("ADD COLUMN"));
            String insert = "INSERT INTO " + database + ".otel_traces (Timestamp, TraceId, SpanId, ServiceName, SpanName, Duration) "
                    + "SETTINGS insert_deduplication_token = 'otlp_spans-0-0-1' VALUES (now64(9), 'abc', 's1', 'svc', 'GET', 5), "
                    + "(now64(9), 'abc', 's2', 'svc', 'GET', 7)";
            clickhouse.query(insert);
            clickhouse.query(insert);
            assertThat(clickhouse.query("SELECT count() FROM " + database + ".otel_traces")).as(database + ": a retried block is dropped")
                    .isEqualTo("2");
            assertThat(clickhouse.query("SELECT count() FROM " + database + ".otel_traces_trace_id_ts WHERE TraceId = 'abc'"))
                    .as(database + ": the view filled the trace-id table").isEqualTo("1");
        }
    }

    @Test
    void theDeduplicationWindowIsReadFromTheEngineClause() {
        assertThat(SchemaReconciler.deduplicationWindow("MergeTree PARTITION BY toDate(Timestamp) ORDER BY x SETTINGS index_granularity = 8192"))
                .isZero();
        assertThat(SchemaReconciler.deduplicationWindow("MergeTree ORDER BY x SETTINGS index_granularity = 8192, "
                + "non_replicated_deduplication_window = 10000")).isEqualTo(10_000);
        assertThat(SchemaReconciler.deduplicationWindow("MergeTree ORDER BY x SETTINGS non_replicated_deduplication_window = 0")).isZero();
    }

    @Test
    void compatibleTypes() {
        assertThat(SchemaReconciler.compatible("LowCardinality(String)", "String")).isTrue();
        assertThat(SchemaReconciler.compatible("DateTime64(9)", "DateTime")).isTrue();
        assertThat(SchemaReconciler.compatible("Map(LowCardinality(String), String)", "Map(String, String)")).isTrue();
        assertThat(SchemaReconciler.compatible("UInt64", "String")).isFalse();
    }
}
