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
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** Connections to ClickHouse, the schema check at first use, and which errors are worth retrying. */
public final class ClickHouse {

    private static final Logger LOG = LoggerFactory.getLogger(ClickHouse.class);

    private final ClickHouseSettings settings;
    private final OtelSchema schema;
    private final BatchLedger ledger;
    private volatile boolean schemaReady;
    private volatile Partitioning partitioning = Partitioning.NONE;

    public ClickHouse(ClickHouseSettings settings) {
        this.settings = settings;
        this.schema = new OtelSchema(settings.database(), settings.ttl());
        this.ledger = new BatchLedger(settings.database());
    }

    public BatchLedger ledger() {
        return ledger;
    }

    /** How the tables are partitioned and what one insert may touch, as read when the schema was checked. */
    Partitioning partitioning() {
        return partitioning;
    }

    /** A connection whose schema is in place: created, or checked and the missing tables named. */
    public Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", settings.user());
        properties.setProperty("password", settings.password() == null ? "" : settings.password());
        // One attempt per call: the inserter retries with its backoff and ClickHouse's health, and a
        // driver's own retries only add WARN lines and hide how long ClickHouse has been away.
        properties.setProperty("retry", "0");
        Connection connection = DriverManager.getConnection(settings.jdbcUrl(), properties);
        if (!schemaReady) {
            try {
                ensureSchema(connection);
            } catch (SQLException | RuntimeException e) {
                connection.close();
                throw e;
            }
            partitioning = readPartitioning(connection);
            schemaReady = true;
        }
        return connection;
    }

    /**
     * The control of a refused insert: the same INSERT without rows. Refused as well, ClickHouse refuses
     * the table whatever the rows (read-only, no such table, no grant, too many parts); accepted, the
     * refusal was about the rows. Also what the health probe asks of every table.
     */
    void control(Connection connection, String table) throws SQLException {
        String qualified = settings.database() + "." + table;
        try (Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO " + qualified + " SETTINGS async_insert = 0 SELECT * FROM " + qualified + " WHERE 0");
        }
    }

    /** The tables rows are inserted into. */
    List<String> insertedTables() {
        List<String> tables = OtelSchema.insertedTables();
        if (settings.lineageEnabled()) {
            tables.add(LineageRunRows.TABLE);
        }
        return tables;
    }

    /**
     * Each inserted table's partition key, in the time zone ClickHouse evaluates it in, and the
     * per-insert partition limit of this session. {@code otel_traces} is also counted against the
     * trace-id table its view fills, whose {@code Start} is the earliest {@code Timestamp} of a trace.
     */
    private Partitioning readPartitioning(Connection connection) throws SQLException {
        ZoneId serverZone;
        int max;
        Map<String, String> keys = new HashMap<>();
        Map<String, String> types = new HashMap<>();
        String database = settings.database().replace("'", "");
        try (Statement statement = connection.createStatement()) {
            try (ResultSet row = statement.executeQuery("SELECT timezone(), getSetting('max_partitions_per_insert_block'), "
                    + "getSetting('throw_on_max_partitions_per_insert_block')")) {
                row.next();
                serverZone = zone(row.getString(1));
                max = row.getBoolean(3) ? row.getInt(2) : 0;
            }
            try (ResultSet rows = statement.executeQuery("SELECT name, partition_key FROM system.tables WHERE database = '"
                    + database + "'")) {
                while (rows.next()) {
                    keys.put(rows.getString(1), rows.getString(2));
                }
            }
            try (ResultSet rows = statement.executeQuery("SELECT table, name, type FROM system.columns WHERE database = '"
                    + database + "'")) {
                while (rows.next()) {
                    types.put(rows.getString(1) + "." + rows.getString(2), rows.getString(3));
                }
            }
        }
        Map<String, List<PartitionKey>> partitioning = new HashMap<>();
        for (String table : insertedTables()) {
            partitioning.put(table, new ArrayList<>(List.of(key(table, keys, types, serverZone))));
        }
        PartitionKey traceIds = key(OtelSchema.TRACE_ID_TS, keys, types, serverZone);
        partitioning.get(OtelSchema.TRACES).add(traceIds.on("Timestamp"));
        partitioning.forEach((table, tableKeys) -> tableKeys.stream().filter(k -> !k.isKnown()).findFirst().ifPresent(k ->
                LOG.warn("Partition key {} of {}.{} is not one otel-consumer can evaluate: its inserts carry at most {} rows",
                        k, settings.database(), table, max)));
        return new Partitioning(Map.copyOf(partitioning), max);
    }

    private static PartitionKey key(String table, Map<String, String> keys, Map<String, String> types, ZoneId serverZone) {
        String expression = keys.get(table);
        if (expression == null) {
            return PartitionKey.unknown("(no table " + table + ")");
        }
        PartitionKey key = PartitionKey.parse(expression, serverZone);
        if (key.column() == null) {
            return key;
        }
        ZoneId zone = PartitionKey.zoneOf(types.get(table + "." + key.column()), serverZone);
        return zone == null ? PartitionKey.unknown(expression) : PartitionKey.parse(expression, zone);
    }

    private static ZoneId zone(String name) {
        try {
            return ZoneId.of(name);
        } catch (RuntimeException unknownToJava) {
            return ZoneId.of("UTC");
        }
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
