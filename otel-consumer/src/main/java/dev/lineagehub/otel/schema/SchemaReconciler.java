package dev.lineagehub.otel.schema;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Brings tables that already exist (made by the Collector's exporter, or by an older otel-consumer)
 * up to {@link OtelSchema}, before the schema's own statements create what is missing (a view on a
 * table that lacks a column could not be created): a column this consumer writes that a table lacks is added; a column whose
 * type cannot take what is written refuses the start, naming table, column and both types. The
 * expected columns come from ClickHouse itself: the schema is created in a scratch database and
 * {@code system.columns} of both compared, so types are compared as the server normalises them.
 *
 * <p>Types that take the same inserts are compatible: {@code LowCardinality(T)} and {@code T}, and
 * {@code DateTime} and {@code DateTime64(n)} (newer exporter versions use either for metric times).
 * Columns a table has beyond ours are left alone: they are not written, and take their defaults.
 */
public final class SchemaReconciler {

    private static final Pattern WINDOW_SETTING = Pattern.compile("\\bnon_replicated_deduplication_window\\s*=\\s*(\\d+)");

    /** A table's column whose type cannot take what otel-consumer writes. */
    public static final class SchemaConflictException extends IllegalStateException {
        SchemaConflictException(String message) {
            super(message);
        }
    }

    private static final Duration STALE_AFTER = Duration.ofMinutes(10);
    private static final java.util.Random RANDOM = new java.security.SecureRandom();

    private final String database;
    private final List<String> tables;

    /** @param tables the tables whose columns are compared: the ones rows are inserted into */
    public SchemaReconciler(String database, List<String> tables) {
        this.database = database;
        this.tables = tables;
    }

    /** Adds missing columns; returns the ALTER statements run. */
    public List<String> reconcile(Statement statement) throws SQLException {
        dropStaleScratch(statement);
        // Instances start together: each compares in a database of its own, named with its start time.
        String scratch = scratchPrefix() + System.currentTimeMillis() + "_" + Long.toHexString(RANDOM.nextLong() & 0xffffffffL);
        try {
            for (String create : new OtelSchema(scratch, Duration.ZERO).createStatements()) {
                statement.execute(create);
            }
            Map<String, Map<String, String>> expected = columns(statement, scratch);
            Map<String, Map<String, String>> actual = columns(statement, database);
            List<String> conflicts = new ArrayList<>();
            List<String> alters = new ArrayList<>();
            for (String table : tables) {
                Map<String, String> have = actual.get(table);
                if (have == null) {
                    continue; // not there yet: created whole afterwards
                }
                expected.getOrDefault(table, Map.of()).forEach((column, type) -> {
                    String found = have.get(column);
                    if (found == null) {
                        alters.add("ALTER TABLE " + database + "." + table + " ADD COLUMN IF NOT EXISTS `" + column + "` " + type);
                    } else if (!compatible(type, found)) {
                        conflicts.add(table + "." + column + " is " + found + ", otel-consumer writes " + type);
                    }
                });
            }
            if (!conflicts.isEmpty()) {
                throw new SchemaConflictException("ClickHouse tables in " + database + " cannot take otel-consumer's rows: "
                        + String.join("; ", conflicts) + ". Migrate those columns or point LINEAGEHUB_OTEL_DATABASE at another database.");
            }
            alters.addAll(deduplicationAlters(statement));
            for (String alter : alters) {
                statement.execute(alter);
            }
            return alters;
        } finally {
            statement.execute("DROP DATABASE IF EXISTS " + scratch);
        }
    }

    private String scratchPrefix() {
        return database + "_lineagehub_expected_";
    }

    /** Scratch databases an instance killed while comparing left behind: older than any comparison takes. */
    private void dropStaleScratch(Statement statement) throws SQLException {
        List<String> stale = new ArrayList<>();
        long cutoff = System.currentTimeMillis() - STALE_AFTER.toMillis();
        try (ResultSet rows = statement.executeQuery("SELECT name FROM system.databases WHERE startsWith(name, '"
                + scratchPrefix().replace("'", "") + "')")) {
            while (rows.next()) {
                String name = rows.getString(1);
                String[] parts = name.substring(scratchPrefix().length()).split("_");
                if (parts[0].matches("\\d+") && Long.parseLong(parts[0]) < cutoff) {
                    stale.add(name);
                }
            }
        }
        for (String name : stale) {
            statement.execute("DROP DATABASE IF EXISTS " + name);
        }
    }

    /**
     * Exactly once rests on ClickHouse dropping a re-inserted block by its token, which plain MergeTree does only with
     * {@code non_replicated_deduplication_window} above 0: the exporter's tables do not set it, so it is set on them (a
     * metadata change the Collector's own inserts do not notice), and on the trace-id table, whose view's block of a
     * retried insert is dropped by the token ClickHouse derives for it. Replicated tables deduplicate by default.
     */
    private List<String> deduplicationAlters(Statement statement) throws SQLException {
        List<String> alters = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery("SELECT name, engine_full FROM system.tables WHERE database = '"
                + database.replace("'", "") + "' AND engine = 'MergeTree'")) {
            while (rows.next()) {
                boolean written = tables.contains(rows.getString(1)) || rows.getString(1).equals(OtelSchema.TRACE_ID_TS);
                if (written && deduplicationWindow(rows.getString(2)) == 0) {
                    alters.add("ALTER TABLE " + database + "." + rows.getString(1) + " MODIFY SETTING non_replicated_deduplication_window = "
                            + OtelSchema.DEDUPLICATION_WINDOW);
                }
            }
        }
        return alters;
    }

    /** The table's {@code non_replicated_deduplication_window} from its engine clause; 0, the default, when it sets none. */
    static long deduplicationWindow(String engineFull) {
        Matcher setting = WINDOW_SETTING.matcher(engineFull);
        return setting.find() ? Long.parseLong(setting.group(1)) : 0;
    }

    private Map<String, Map<String, String>> columns(Statement statement, String db) throws SQLException {
        Map<String, Map<String, String>> columns = new LinkedHashMap<>();
        // ALIAS and MATERIALIZED columns are computed, never written: nothing to compare, nothing to add.
        try (ResultSet rows = statement.executeQuery("SELECT table, name, type FROM system.columns WHERE database = '"
                + db.replace("'", "") + "' AND default_kind NOT IN ('ALIAS', 'MATERIALIZED') ORDER BY table, position")) {
            while (rows.next()) {
                columns.computeIfAbsent(rows.getString(1), t -> new LinkedHashMap<>()).put(rows.getString(2), rows.getString(3));
            }
        }
        return columns;
    }

    static boolean compatible(String expected, String found) {
        return normal(expected).equals(normal(found));
    }

    /** The type as far as inserts care: no LowCardinality wrapper, DateTime64(n) as DateTime. */
    private static String normal(String type) {
        return type.replaceAll("LowCardinality\\(([^()]*)\\)", "$1").replaceAll("DateTime64\\(\\d+\\)", "DateTime");
    }
}
