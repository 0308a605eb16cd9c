package dev.lineagehub.otel.sink;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The offset range of every batch, written before the batch is inserted and kept in ClickHouse next
 * to the data, so that after a crash or a rebalance, on any instance and whatever the batch settings
 * are then, the same offsets form the same batches again with the same deduplication tokens;
 * ClickHouse then drops the ones it already stored. Where a batch ends is never re-derived from
 * timing, sizes or commits.
 *
 * <p>Ranges belong to one log: the topic's id (Kafka's topic UUID), not its name. A topic deleted and
 * created again, or a Kafka cluster rebuilt, starts its offsets at 0 under a new id, so its records are
 * new data rather than replays of ranges recorded for the old log.
 */
public final class BatchLedger {

    public static final String TABLE = "lineagehub_batches_v2";
    /**
     * The ledger of 0.1, keyed by topic name. It is not read: its ranges could belong to a log that
     * no longer exists (the README's upgrade notes say how to stop the old version so nothing is replayed).
     */
    public static final String TABLE_BEFORE_TOPIC_IDS = "lineagehub_batches";

    /** The log a partition's offsets belong to: the topic's name (for people) and its id (for identity). */
    public record Log(String topic, String topicId) {
    }

    /** An offset range of one partition, both ends included. */
    public record Range(long first, long last) {
    }

    private final String table;

    public BatchLedger(String database) {
        this.table = database + "." + TABLE;
    }

    public String createStatement() {
        return "CREATE TABLE IF NOT EXISTS " + table + " (TopicId String, Topic String, Partition UInt32, First UInt64, Last UInt64, "
                + "At DateTime DEFAULT now()) ENGINE = ReplacingMergeTree ORDER BY (TopicId, Partition, First)";
    }

    /** Writes down a batch's range, before it is inserted; writing the same range again changes nothing. */
    public void record(Connection connection, Log log, int partition, long first, long last) throws SQLException {
        // Synchronous, so that the range is stored before the batch's insert starts.
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table
                + " (TopicId, Topic, Partition, First, Last) SETTINGS async_insert = 0 VALUES (?, ?, ?, ?, ?)")) {
            insert.setString(1, log.topicId());
            insert.setString(2, log.topic());
            insert.setInt(3, partition);
            insert.setLong(4, first);
            insert.setLong(5, last);
            insert.executeUpdate();
        }
    }

    /** The batches of this partition of this log that end at or after {@code from}, in offset order. */
    public Deque<Range> from(Connection connection, Log log, int partition, long from) throws SQLException {
        Deque<Range> ranges = new ArrayDeque<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT First, max(Last) FROM " + table
                + " WHERE TopicId = ? AND Partition = ? AND Last >= ? GROUP BY First ORDER BY First")) {
            query.setString(1, log.topicId());
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

    /** The deduplication token of a batch: its log's id, partition and range. */
    static String token(Log log, int partition, long first, long last) {
        return log.topicId() + "-" + partition + "-" + first + "-" + last;
    }
}
