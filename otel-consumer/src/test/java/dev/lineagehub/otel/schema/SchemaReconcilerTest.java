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

    @Test
    void compatibleTypes() {
        assertThat(SchemaReconciler.compatible("LowCardinality(String)", "String")).isTrue();
        assertThat(SchemaReconciler.compatible("DateTime64(9)", "DateTime")).isTrue();
        assertThat(SchemaReconciler.compatible("Map(LowCardinality(String), String)", "Map(String, String)")).isTrue();
        assertThat(SchemaReconciler.compatible("UInt64", "String")).isFalse();
    }
}
