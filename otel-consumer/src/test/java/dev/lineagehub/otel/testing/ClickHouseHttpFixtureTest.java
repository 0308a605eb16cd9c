package dev.lineagehub.otel.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;

/** The production driver, clickhouse-jdbc, against the real engine behind the fixture. */
class ClickHouseHttpFixtureTest {

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
    void clickhouseJdbcRunsRealSqlAgainstRealTableEngines() throws Exception {
        try (Connection connection = DriverManager.getConnection(clickhouse.jdbcUrl(), "default", "");
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE fixture_check (id UInt64, attributes Map(LowCardinality(String), String), "
                    + "ts DateTime64(9)) ENGINE = MergeTree ORDER BY id");
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO fixture_check (id, attributes, ts) VALUES (?, ?, ?)")) {
                for (int i = 1; i <= 3; i++) {
                    insert.setLong(1, i);
                    insert.setObject(2, Map.of("service.name", "checkout-" + i));
                    insert.setTimestamp(3, Timestamp.from(Instant.parse("2026-11-20T06:00:00.123456789Z")));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            try (ResultSet rows = statement.executeQuery("SELECT count(), max(attributes['service.name']), "
                    + "toString(min(ts)) FROM fixture_check")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getLong(1)).isEqualTo(3);
                assertThat(rows.getString(2)).isEqualTo("checkout-3");
                assertThat(rows.getString(3)).isEqualTo("2026-11-20 06:00:00.123456789");
            }
        }
        assertThat(clickhouse.query("SELECT engine FROM system.tables WHERE name = 'fixture_check'")).isEqualTo("MergeTree");
    }

    @Test
    void errorsComeBackWithClickHousesCodeAndMessage() throws Exception {
        try (Connection connection = DriverManager.getConnection(clickhouse.jdbcUrl(), "default", "");
             Statement statement = connection.createStatement()) {
            // otel-consumer tells data errors from outages by this code.
            assertThatThrownBy(() -> statement.executeQuery("SELECT no_such_column FROM system.one"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("UNKNOWN_IDENTIFIER")
                    .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(47));
        }
    }
}
