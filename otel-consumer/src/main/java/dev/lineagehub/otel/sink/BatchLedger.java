package dev.lineagehub.otel.sink;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Where batches begin and end, kept in ClickHouse next to the data, so that after a crash the same
 * offsets form the same batches again and carry the same deduplication tokens.
 *
 * <p>A batch is written down as planned before its insert and as done after it. Records of a done
 * batch are skipped on replay (they are stored); a planned batch that is not done is formed again
 * exactly, and ClickHouse drops it if the first insert did land.
 */
public final class BatchLedger {

    public static final String TABLE = "lineagehub_batches";

    /** An offset range of one partition, both ends included. */
    public record Range(long first, long last, boolean done) {
        public boolean contains(long offset) {
            return offset >= first && offset <= last;
        }
    }

    private final String table;

    public BatchLedger(String database) {
        this.table = database + "." + TABLE;
    }

    public String createStatement() {
        return "CREATE TABLE IF NOT EXISTS " + table + " (Topic String, Partition UInt32, First UInt64, Last UInt64, "
                + "Done UInt8, At DateTime DEFAULT now()) ENGINE = ReplacingMergeTree(Done) ORDER BY (Topic, Partition, First)";
    }

    public void planned(Connection connection, String topic, int partition, long first, long last) throws SQLException {
        write(connection, topic, partition, first, last, 0);
    }

    public void done(Connection connection, String topic, int partition, long first, long last) throws SQLException {
        write(connection, topic, partition, first, last, 1);
    }

    /** The batches of this partition that end at or after {@code from}, in offset order. */
    public Deque<Range> from(Connection connection, String topic, int partition, long from) throws SQLException {
        Deque<Range> ranges = new ArrayDeque<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT First, max(Last), max(Done) FROM " + table
                + " WHERE Topic = ? AND Partition = ? AND Last >= ? GROUP BY First ORDER BY First")) {
            query.setString(1, topic);
            query.setInt(2, partition);
            query.setLong(3, from);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    ranges.add(new Range(rows.getLong(1), rows.getLong(2), rows.getInt(3) == 1));
                }
            }
        }
        return ranges;
    }

    private void write(Connection connection, String topic, int partition, long first, long last, int done) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO " + table + " (Topic, Partition, First, Last, Done) VALUES ('"
                    + topic.replace("'", "") + "', " + partition + ", " + first + ", " + last + ", " + done + ")");
        }
    }
}
