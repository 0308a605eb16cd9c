package dev.lineagehub.testing.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.data.ClickHouseFormat;
import com.clickhouse.jdbc.ConnectionImpl;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The production driver, clickhouse-jdbc, against the real engine behind the fixture: in this JVM,
 * and forwarded over ClickHouse's HTTP interface the way the fixture reaches a ClickHouse container
 * where Docker runs (here the interface is the first fixture's, since no Docker runs the tests).
 */
class ClickHouseHttpFixtureTest {

    private static ClickHouseHttpFixture clickhouse;
    private static ClickHouseHttpFixture forwarding;

    @BeforeAll
    static void start() throws Exception {
        clickhouse = new ClickHouseHttpFixture(Files.createTempDirectory("chdb"));
        forwarding = new ClickHouseHttpFixture(new ClickHouseHttpEngine(clickhouse.httpUrl(), "default", "",
                "the first fixture over HTTP", () -> { }));
    }

    @AfterAll
    static void stop() {
        forwarding.close();
        clickhouse.close();
    }

    static Stream<Arguments> fixtures() {
        return Stream.of(Arguments.of("in_jvm", clickhouse), Arguments.of("over_http", forwarding));
    }

    /**
     * client-v2's insert: the statement in {@code query}, RowBinary rows as the (chunked) body, the token as a
     * setting. The rows reach the engine as data, read by its RowBinary reader, and a second insert with the same
     * token is dropped as on a server.
     */
    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("fixtures")
    void rowBinaryFromClientV2IsReadAsDataAndDeduplicatedByItsToken(String name, ClickHouseHttpFixture fixture) throws Exception {
        String table = "rowbinary_check_" + name;
        fixture.query("CREATE TABLE " + table + " (id UInt64, name String) ENGINE = MergeTree ORDER BY id "
                + "SETTINGS non_replicated_deduplication_window = 100");
        byte[] rows = {7, 0, 0, 0, 0, 0, 0, 0, 3, 'a', '\n', 'c', 8, 0, 0, 0, 0, 0, 0, 0, 0};
        try (Connection connection = DriverManager.getConnection(fixture.jdbcUrl(), "default", "")) {
            Client client = connection.unwrap(ConnectionImpl.class).getClient();
            for (int i = 0; i < 2; i++) {
                InsertSettings settings = new InsertSettings().setDeduplicationToken("batch-1").serverSetting("async_insert", "0");
                client.insert(table, List.of("id", "name"), out -> {
                    out.write(rows);
                    out.close();
                }, ClickHouseFormat.RowBinary, settings).get(30, TimeUnit.SECONDS).close();
            }
        }
        assertThat(fixture.query("SELECT id, hex(name) FROM " + table + " ORDER BY id")).isEqualTo("7\t610A63\n8");
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false) // the fixtures outlive each test
    @MethodSource("fixtures")
    void clickhouseJdbcRunsRealSqlAgainstRealTableEngines(String name, ClickHouseHttpFixture fixture) throws Exception {
        String table = "fixture_check_" + name;
        try (Connection connection = DriverManager.getConnection(fixture.jdbcUrl(), "default", "");
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE " + table + " (id UInt64, attributes Map(LowCardinality(String), String), "
                    + "ts DateTime64(9)) ENGINE = MergeTree ORDER BY id");
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table + " (id, attributes, ts) VALUES (?, ?, ?)")) {
                for (int i = 1; i <= 3; i++) {
                    insert.setLong(1, i);
                    insert.setObject(2, Map.of("service.name", "checkout-" + i));
                    insert.setTimestamp(3, Timestamp.from(Instant.parse("2026-11-20T06:00:00.123456789Z")));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            try (ResultSet rows = statement.executeQuery("SELECT count(), max(attributes['service.name']), "
                    + "toString(min(ts)) FROM " + table)) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getLong(1)).isEqualTo(3);
                assertThat(rows.getString(2)).isEqualTo("checkout-3");
                assertThat(rows.getString(3)).isEqualTo("2026-11-20 06:00:00.123456789");
            }
        }
        assertThat(fixture.query("SELECT engine FROM system.tables WHERE name = '" + table + "'")).isEqualTo("MergeTree");
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false) // the fixtures outlive each test
    @MethodSource("fixtures")
    void errorsComeBackWithClickHousesCodeAndMessage(String name, ClickHouseHttpFixture fixture) throws Exception {
        try (Connection connection = DriverManager.getConnection(fixture.jdbcUrl(), "default", "");
             Statement statement = connection.createStatement()) {
            // otel-consumer tells data errors from outages by this code.
            assertThatThrownBy(() -> statement.executeQuery("SELECT no_such_column FROM system.one"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("UNKNOWN_IDENTIFIER")
                    .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(47));
        }
    }

    @Test
    void settingsLastOneStatementAndReachTheServerAsUrlParameters() {
        ClickHouseEngine overHttp = new ClickHouseHttpEngine(clickhouse.httpUrl(), "default", "", "test", () -> { });
        byte[] select = "SELECT getSetting('max_block_size')".getBytes(StandardCharsets.UTF_8);
        String defaultValue = clickhouse.query("SELECT getSetting('max_block_size')");

        assertThat(new String(overHttp.query(Map.of("max_block_size", "1234"), select, "TabSeparated"), StandardCharsets.UTF_8))
                .isEqualTo("1234\n");
        assertThat(new String(overHttp.query(Map.of(), select, "TabSeparated"), StandardCharsets.UTF_8).strip())
                .isEqualTo(defaultValue).isNotEqualTo("1234");
    }
}
