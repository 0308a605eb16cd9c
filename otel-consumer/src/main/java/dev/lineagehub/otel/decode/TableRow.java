package dev.lineagehub.otel.decode;

import java.util.Map;

/** A row for one of the exporter's tables: column name (as the table names it) to value, in column order. */
public record TableRow(String table, Map<String, Object> columns) {
}
