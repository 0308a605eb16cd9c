package dev.lineagehub.otel.sink;

import dev.lineagehub.otel.decode.TableRow;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Batch inserts of rows that name their own table and columns (the metric tables), one block per
 * table, each with the batch's deduplication token: ClickHouse deduplicates per table.
 */
public final class RowTables {

    private final String database;

    public RowTables(String database) {
        this.database = database;
    }

    public void insert(Connection connection, List<TableRow> rows, String deduplicationToken) throws SQLException {
        Map<String, List<TableRow>> byTable = new LinkedHashMap<>();
        for (TableRow row : rows) {
            byTable.computeIfAbsent(row.table(), t -> new ArrayList<>()).add(row);
        }
        for (Map.Entry<String, List<TableRow>> table : byTable.entrySet()) {
            List<String> columns = List.copyOf(table.getValue().get(0).columns().keySet());
            String sql = "INSERT INTO " + database + "." + table.getKey() + " (`" + String.join("`, `", columns)
                    + "`) " + ClickHouse.insertSettings(deduplicationToken) + " VALUES ("
                    + "?, ".repeat(columns.size() - 1) + "?)";
            try (PreparedStatement insert = connection.prepareStatement(sql)) {
                for (TableRow row : table.getValue()) {
                    for (int c = 0; c < columns.size(); c++) {
                        insert.setObject(c + 1, row.columns().get(columns.get(c)));
                    }
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        }
    }
}
