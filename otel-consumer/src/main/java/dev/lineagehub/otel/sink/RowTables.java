package dev.lineagehub.otel.sink;

import dev.lineagehub.otel.decode.TableRow;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Batch inserts of rows that name their own table and columns (the metric tables, logs, lineage runs),
 * one block per statement with its deduplication token (ClickHouse deduplicates per table), as RowBinary.
 */
public final class RowTables implements BatchInserter.Table<TableRow> {

    /**
     * Columns a row does not carry because the table computes them from one it does: {@code otel_logs}
     * partitions on {@code TimestampTime DEFAULT toDateTime(Timestamp)}, which falls in the same
     * partition as {@code Timestamp} for any key of a second or coarser.
     */
    private static final Map<String, String> COMPUTED_FROM = Map.of("TimestampTime", "Timestamp");

    private final RowBinaryInsert rowBinary;

    public RowTables(String database) {
        this.rowBinary = new RowBinaryInsert(database);
    }

    @Override
    public String tableOf(TableRow row) {
        return row.table();
    }

    @Override
    public Optional<Instant> time(TableRow row, String column) {
        Object value = row.columns().get(COMPUTED_FROM.getOrDefault(column, column));
        return value instanceof Instant instant ? Optional.of(instant) : Optional.empty();
    }

    @Override
    public void insert(Connection connection, String table, List<TableRow> rows, String deduplicationToken) throws SQLException {
        List<String> columns = List.copyOf(rows.get(0).columns().keySet());
        rowBinary.insert(connection, table, columns, rows, row -> columns.stream().map(row.columns()::get).toArray(), deduplicationToken);
    }
}
