package dev.lineagehub.otel.sink;

import dev.lineagehub.otel.config.ClickHouseSettings;
import dev.lineagehub.otel.decode.LineageRunRows;
import dev.lineagehub.otel.schema.OtelSchema;
import dev.lineagehub.otel.schema.SchemaReconciler;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/** Connections to ClickHouse, the schema check at first use, and which errors are worth retrying. */
public final class ClickHouse {

    private static final Logger LOG = LoggerFactory.getLogger(ClickHouse.class);

    /**
     * Server error codes that mean the data itself is wrong, so the same rows fail again on retry:
     * CANNOT_PARSE_TEXT, CANNOT_PARSE_INPUT_ASSERTION_FAILED, TYPE_MISMATCH, CANNOT_CONVERT_TYPE,
     * INCORRECT_DATA, TOO_LARGE_STRING_SIZE, ILLEGAL_TYPE_OF_ARGUMENT, VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE.
     */
    private static final Set<Integer> DATA_ERRORS = Set.of(6, 27, 53, 70, 117, 131, 43, 321);

    private final ClickHouseSettings settings;
    private final OtelSchema schema;
    private final BatchLedger ledger;
    private volatile boolean schemaReady;

    public ClickHouse(ClickHouseSettings settings) {
        this.settings = settings;
        this.schema = new OtelSchema(settings.database(), settings.ttl());
        this.ledger = new BatchLedger(settings.database());
    }

    public BatchLedger ledger() {
        return ledger;
    }

    /** A connection whose schema is in place: created, or checked and the missing tables named. */
    public Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", settings.user());
        properties.setProperty("password", settings.password() == null ? "" : settings.password());
        Connection connection = DriverManager.getConnection(settings.jdbcUrl(), properties);
        if (!schemaReady) {
            try {
                ensureSchema(connection);
            } catch (SQLException | RuntimeException e) {
                connection.close();
                throw e;
            }
            schemaReady = true;
        }
        return connection;
    }

    /** True when retrying the same rows can succeed: ClickHouse unreachable, overloaded, or any error not about the data. */
    /**
     * The SETTINGS clause of every batch insert: the batch's deduplication token, and a synchronous
     * insert whatever the user's profile says. Exactly once rests on a synchronous insert that is
     * acknowledged once its block is stored and deduplicated by its token; an asynchronous one
     * (async_insert = 1, chDB's default and a common profile setting) is buffered with others and
     * deduplicated only under async_insert_deduplicate.
     */
    static String insertSettings(String deduplicationToken) {
        return "SETTINGS async_insert = 0, insert_deduplication_token = '" + deduplicationToken.replace("'", "") + "'";
    }

    public static boolean isRetryable(SQLException e) {
        return !DATA_ERRORS.contains(e.getErrorCode());
    }

    private void ensureSchema(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            if (settings.createSchema()) {
                statement.execute("CREATE DATABASE IF NOT EXISTS " + settings.database());
                List<String> added = new SchemaReconciler(settings.database(), OtelSchema.insertedTables()).reconcile(statement);
                if (!added.isEmpty()) {
                    LOG.info("Added the columns existing tables lacked: {}", added);
                }
                for (String create : schema.createStatements()) {
                    statement.execute(create);
                }
                statement.execute(ledger.createStatement());
                if (settings.lineageEnabled()) {
                    statement.execute(LineageRunRows.createStatement(settings.database()));
                }
                return;
            }
            List<String> missing = new ArrayList<>(schema.tables());
            missing.add(BatchLedger.TABLE);
            if (settings.lineageEnabled()) {
                missing.add(LineageRunRows.TABLE);
            }
            try (ResultSet tables = statement.executeQuery(
                    "SELECT name FROM system.tables WHERE database = '" + settings.database().replace("'", "") + "'")) {
                while (tables.next()) {
                    missing.remove(tables.getString(1));
                }
            }
            if (!missing.isEmpty()) {
                throw new IllegalStateException("ClickHouse database " + settings.database() + " lacks " + missing + "; create them or set "
                        + ClickHouseSettings.CREATE_SCHEMA + "=true");
            }
        }
    }
}
