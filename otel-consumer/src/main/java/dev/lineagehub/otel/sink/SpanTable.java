package dev.lineagehub.otel.sink;

import dev.lineagehub.otel.decode.EpochTime;
import dev.lineagehub.otel.decode.SpanRow;
import dev.lineagehub.otel.schema.OtelSchema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Batch inserts into {@code otel_traces} through clickhouse-jdbc, one deduplication token per statement. */
public final class SpanTable implements BatchInserter.Table<SpanRow> {

    private static final String COLUMNS = "Timestamp, TraceId, SpanId, ParentSpanId, TraceState, SpanName, SpanKind, "
            + "ServiceName, ResourceAttributes, ScopeName, ScopeVersion, SpanAttributes, Duration, StatusCode, StatusMessage, "
            + "`Events.Timestamp`, `Events.Name`, `Events.Attributes`, "
            + "`Links.TraceId`, `Links.SpanId`, `Links.TraceState`, `Links.Attributes`";
    private static final int COLUMN_COUNT = 22;

    private final String database;

    public SpanTable(String database) {
        this.database = database;
    }

    @Override
    public String tableOf(SpanRow row) {
        return OtelSchema.TRACES;
    }

    /** Spans partition on their start ({@code Timestamp}); the trace-id view's {@code Start} is the earliest of them. */
    @Override
    public Optional<Instant> time(SpanRow row, String column) {
        return column.equals("Timestamp") ? Optional.of(EpochTime.of(row.timestampNanos())) : Optional.empty();
    }

    /**
     * Inserts the rows as one block. ClickHouse drops a block whose token it has seen, so inserting
     * the same batch again with the same token stores it once.
     */
    @Override
    public void insert(Connection connection, String table, List<SpanRow> rows, String deduplicationToken) throws SQLException {
        String sql = "INSERT INTO " + database + "." + table + " (" + COLUMNS + ") " + ClickHouse.insertSettings(deduplicationToken)
                + " VALUES (" + "?, ".repeat(COLUMN_COUNT - 1) + "?)";
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            for (SpanRow row : rows) {
                int c = 1;
                insert.setObject(c++, EpochTime.of(row.timestampNanos()));
                insert.setString(c++, row.traceId());
                insert.setString(c++, row.spanId());
                insert.setString(c++, row.parentSpanId());
                insert.setString(c++, row.traceState());
                insert.setString(c++, row.spanName());
                insert.setString(c++, row.spanKind());
                insert.setString(c++, row.serviceName());
                insert.setObject(c++, row.resourceAttributes());
                insert.setString(c++, row.scopeName());
                insert.setString(c++, row.scopeVersion());
                insert.setObject(c++, row.spanAttributes());
                insert.setLong(c++, row.durationNanos());
                insert.setString(c++, row.statusCode());
                insert.setString(c++, row.statusMessage());
                insert.setObject(c++, row.events().stream().map(e -> EpochTime.of(e.timestampNanos())).toList());
                insert.setObject(c++, row.events().stream().map(SpanRow.Event::name).toList());
                insert.setObject(c++, row.events().stream().map(SpanRow.Event::attributes).toList());
                insert.setObject(c++, row.links().stream().map(SpanRow.Link::traceId).toList());
                insert.setObject(c++, row.links().stream().map(SpanRow.Link::spanId).toList());
                insert.setObject(c++, row.links().stream().map(SpanRow.Link::traceState).toList());
                insert.setObject(c, row.links().stream().map(SpanRow.Link::attributes).toList());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }
}
