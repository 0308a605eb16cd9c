package dev.lineagehub.otel.sink;

import dev.lineagehub.otel.decode.EpochTime;
import dev.lineagehub.otel.decode.SpanRow;
import dev.lineagehub.otel.schema.OtelSchema;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Batch inserts into {@code otel_traces}, one block and deduplication token per statement, as RowBinary ({@link RowBinaryInsert}). */
public final class SpanTable implements BatchInserter.Table<SpanRow> {

    private static final List<String> COLUMNS = List.of("Timestamp", "TraceId", "SpanId", "ParentSpanId", "TraceState", "SpanName",
            "SpanKind", "ServiceName", "ResourceAttributes", "ScopeName", "ScopeVersion", "SpanAttributes", "Duration", "StatusCode",
            "StatusMessage", "Events.Timestamp", "Events.Name", "Events.Attributes",
            "Links.TraceId", "Links.SpanId", "Links.TraceState", "Links.Attributes");

    private final RowBinaryInsert rowBinary;

    public SpanTable(String database) {
        this.rowBinary = new RowBinaryInsert(database);
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
        rowBinary.insert(connection, table, COLUMNS, rows, SpanTable::values, deduplicationToken);
    }

    private static Object[] values(SpanRow row) {
        return new Object[] {EpochTime.of(row.timestampNanos()), row.traceId(), row.spanId(), row.parentSpanId(), row.traceState(),
            row.spanName(), row.spanKind(), row.serviceName(), row.resourceAttributes(), row.scopeName(), row.scopeVersion(),
            row.spanAttributes(), row.durationNanos(), row.statusCode(), row.statusMessage(),
            row.events().stream().map(e -> EpochTime.of(e.timestampNanos())).toList(),
            row.events().stream().map(SpanRow.Event::name).toList(),
            row.events().stream().map(SpanRow.Event::attributes).toList(),
            row.links().stream().map(SpanRow.Link::traceId).toList(),
            row.links().stream().map(SpanRow.Link::spanId).toList(),
            row.links().stream().map(SpanRow.Link::traceState).toList(),
            row.links().stream().map(SpanRow.Link::attributes).toList()};
    }
}
