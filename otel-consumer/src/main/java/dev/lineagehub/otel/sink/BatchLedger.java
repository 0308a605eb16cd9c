package dev.lineagehub.otel.sink;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Where batches ended early, kept in ClickHouse next to the data, so that after a crash the same
 * offsets form the same batches again and carry the same deduplication tokens; ClickHouse then drops
 * the ones it already stored.
 *
 * <p>A batch that ends because it is full needs no record: from the same first offset the same
 * records fill it again. Only a batch cut short (by age or by a commit) is written down, before its
 * insert. Changing the batch size between a crash and the restart breaks this, as it changes where
 * full batches end.
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

    /** Writes down a batch cut short, before it is inserted. */
    public void cutShort(Connection connection, String topic, int partition, long first, long last) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO " + table + " (Topic, Partition, First, Last) VALUES ('"
                    + topic.replace("'", "") + "', " + partition + ", " + first + ", " + last + ")");
        }
    }

    /** The batches of this partition cut short that end at or after {@code from}, in offset order. */
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
