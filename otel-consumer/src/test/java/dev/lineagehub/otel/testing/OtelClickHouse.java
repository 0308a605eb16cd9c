package dev.lineagehub.otel.testing;

import dev.lineagehub.testing.clickhouse.ClickHouseHttpFixture;

import dev.lineagehub.otel.schema.OtelSchema;
import dev.lineagehub.otel.sink.BatchInserter;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A ClickHouse fixture with the exporter's schema already created in database {@code otel}, through the production driver. */
public final class OtelClickHouse {

    private OtelClickHouse() {
    }

    public static ClickHouseHttpFixture withSchema() throws Exception {
        ClickHouseHttpFixture clickhouse = new ClickHouseHttpFixture(Files.createTempDirectory("chdb"));
        try (Connection connection = connect(clickhouse); Statement statement = connection.createStatement()) {
            for (String create : new OtelSchema("otel", Duration.ZERO).createStatements()) {
                statement.execute(create);
            }
        }
        return clickhouse;
    }

    /** Inserts rows of any of a topic's tables, one block per table, as one statement of a batch each. */
    public static <R> void insert(Connection connection, BatchInserter.Table<R> table, List<R> rows, String token) throws SQLException {
        Map<String, List<R>> byTable = new LinkedHashMap<>();
        rows.forEach(row -> byTable.computeIfAbsent(table.tableOf(row), t -> new ArrayList<>()).add(row));
        for (Map.Entry<String, List<R>> entry : byTable.entrySet()) {
            table.insert(connection, entry.getKey(), entry.getValue(), token);
        }
    }

    public static Connection connect(ClickHouseHttpFixture clickhouse) throws SQLException {
        return DriverManager.getConnection(clickhouse.jdbcUrl(), "default", "");
    }
}
