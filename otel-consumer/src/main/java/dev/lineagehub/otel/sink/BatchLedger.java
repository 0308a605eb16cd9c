package dev.lineagehub.otel.sink;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The offset range of every batch, written before the batch is inserted and kept in ClickHouse next
 * to the data, so that after a crash or a rebalance, on any instance and whatever the batch settings
 * are then, the same offsets form the same batches again with the same deduplication tokens;
 * ClickHouse then drops the ones it already stored. Where a batch ends is never re-derived from
 * timing, sizes or commits.
 */
public final class BatchLedger {

    public static final String TABLE = "lineagehub_batches";

    /** An offset range of one partition, both ends included. */
    public record Range(long first, long last) {
    }

    private final String table;

    public BatchLedger(String database) {
        this.table = database + "." + TABLE;
    }

    public String createStatement() {
        return "CREATE TABLE IF NOT EXISTS " + table + " (Topic String, Partition UInt32, First UInt64, Last UInt64, "
                + "At DateTime DEFAULT now()) ENGINE = ReplacingMergeTree ORDER BY (Topic, Partition, First)";
    }

    /** Writes down a batch's range, before it is inserted; writing the same range again changes nothing. */
    public void record(Connection connection, String topic, int partition, long first, long last) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            // Synchronous, so that the range is stored before the batch's insert starts.
            statement.execute("INSERT INTO " + table + " (Topic, Partition, First, Last) SETTINGS async_insert = 0 VALUES ('"
                    + topic.replace("'", "") + "', " + partition + ", " + first + ", " + last + ")");
        }
    }

    /** The batches of this partition that end at or after {@code from}, in offset order. */
    public Deque<Range> from(Connection connection, String topic, int partition, long from) throws SQLException {
        Deque<Range> ranges = new ArrayDeque<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT First, max(Last) FROM " + table
                + " WHERE Topic = ? AND Partition = ? AND Last >= ? GROUP BY First ORDER BY First")) {
            query.setString(1, topic);
            query.setInt(2, partition);
            query.setLong(3, from);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    ranges.add(new Range(rows.getLong(1), rows.getLong(2)));
                }
            }
        }
        return ranges;
    }
}
