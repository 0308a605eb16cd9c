package dev.lineagehub.otel.testing;

import dev.lineagehub.testing.clickhouse.ClickHouseHttpFixture;

import dev.lineagehub.otel.schema.OtelSchema;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

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

    public static Connection connect(ClickHouseHttpFixture clickhouse) throws SQLException {
        return DriverManager.getConnection(clickhouse.jdbcUrl(), "default", "");
    }
}
