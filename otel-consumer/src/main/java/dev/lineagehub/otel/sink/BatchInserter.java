package dev.lineagehub.otel.sink;

import dev.lineagehub.delivery.PermanentDeliveryException;
import dev.lineagehub.delivery.RetryPolicy;
import dev.lineagehub.delivery.flow.SinkHealth;
import dev.lineagehub.delivery.SourceRecord;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;

/**
 * Inserts one partition's rows in offset-ranged batches, exactly once. Every batch's range is written
 * to the {@link BatchLedger} before its insert, under the topic's id; after a crash or a rebalance, on
 * any instance, the records of a recorded range form the same batch again, cut into the same
 * statements with the same tokens ({@link InsertPlan}), so ClickHouse drops the blocks it already has.
 * Records outside recorded ranges are cut into batches of {@code LINEAGEHUB_OTEL_BATCH_ROWS} rows, of at
 * most {@code LINEAGEHUB_OTEL_BATCH_BYTES} bytes of OTLP input (one larger record alone), or of what has
 * waited {@code LINEAGEHUB_OTEL_BATCH_MAX_MS}.
 *
 * <p>Runs on the insert executor, one step at a time per partition, never on a stream thread. What a
 * failed statement leads to is decided by what repeats ({@link Refusal}):
 * <ul>
 *   <li>no answer, or ClickHouse's "not now": the same statement again after the backoff, or once
 *       {@link SinkHealth} sees ClickHouse back — never split, never dead-lettered;</li>
 *   <li>a refusal: the same INSERT without rows (the control) is sent. Refused too: ClickHouse refuses
 *       the table whatever the rows, as above. Accepted, and the refusal repeats: the rows are to blame,
 *       so the statement is cut in halves, down to one record; a record refused on its own is
 *       dead-lettered with ClickHouse's code and message, the others are stored.</li>
 * </ul>
 * A statement ClickHouse refused was not stored, so its halves (tokens of their own) cannot duplicate it.
 */
public final class BatchInserter<R> implements AutoCloseable {

    /**
     * One record's rows, queued: what otel-consumer's delivery tasks hand to {@link ClickHouseSink}.
     * Queuing happens on the stream thread, in offset order, so batches are ranges of the partition.
     */
    public record Queued(CompletableFuture<Void> inserted, int rows) {
        @Override
        public String toString() {
            return rows + " rows";
        }
    }

    /** A topic's rows: which table each row goes to, its times, and the insert of rows into one table. */
    public interface Table<R> {
        String tableOf(R row);

        /** The row's value of a time column (for its partition); empty when the row has no such column. */
        Optional<Instant> time(R row, String column);

        /** Inserts the rows as one block of the table with this deduplication token. */
        void insert(Connection connection, String table, List<R> rows, String deduplicationToken) throws SQLException;
    }

    /** Kafka's id of a topic, asked on the insert executor (it may wait for the broker). */
    @FunctionalInterface
    public interface TopicIds {
        String of(String topic) throws Exception;
    }

    /**
     * What the inserters of a consumer share.
     *
     * @param retries counts the records of each failed insert: the consumers' {@code retries} metric
     *                counts records whose delivery attempt failed, here as in the HTTP consumers
     */
    public record Shared(ClickHouse clickhouse, SinkHealth health, RetryPolicy retry, Executor executor,
                         ScheduledExecutorService timer, int batchRows, long batchBytes, Duration batchMaxAge, IntConsumer retries,
                         TopicIds topicIds, LongSupplier nanoClock) {
    }

    /** A record refused on its own: the table, how many of its rows that table refused, and why. */
    private record Refused(String table, int rows, Refusal refusal) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(BatchInserter.class);

    private final Shared shared;
    private final Table<R> table;
    private final String topic;
    private final int partition;
    private final Deque<QueuedRecord<R>> queue = new ConcurrentLinkedDeque<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean woken = new AtomicBoolean();
    private final CompletableFuture<Void> closing = new CompletableFuture<>();
    private volatile boolean closed;
    // Touched by one step at a time, on the insert executor.
    private BatchLedger.Log log;
    private Deque<BatchLedger.Range> ledger;
    private Connection connection;
    private Batch batch;
    private int failures;
    private long waitUntilNanos;

    public BatchInserter(Shared shared, Table<R> table, String topic, int partition) {
        this.shared = shared;
        this.table = table;
        this.topic = topic;
        this.partition = partition;
        this.waitUntilNanos = shared.nanoClock().getAsLong();
    }

    /** Queues one record's rows, on the stream thread in offset order; they are inserted from then on. */
    public Queued queue(SourceRecord source, List<R> rows) {
        QueuedRecord<R> record = new QueuedRecord<>(source, rows, now());
        queue.add(record);
        wake();
        return new Queued(record.inserted(), rows.size());
    }

    private void wake() {
        woken.set(true);
        if (!closed && running.compareAndSet(false, true)) {
            shared.executor().execute(this::run);
        }
    }

    /**
     * Steps until there is nothing to do; a wake-up that came while it ran (a record queued after the
     * last step looked) runs it again instead of being lost with the flag it could not take.
     */
    private void run() {
        do {
            woken.set(false);
            try {
                while (!closed && step()) {
                    // each step sends one statement
                }
            } catch (RuntimeException e) {
                unwell(e.toString());
            } finally {
                running.set(false);
            }
        } while (woken.get() && !closed && running.compareAndSet(false, true));
    }

    /** Sends the next statement if one is ready; false when there is nothing to do until a wake-up. */
    private boolean step() {
        if ((batch == null && queue.isEmpty()) || now() - waitUntilNanos < 0) {
            return false;
        }
        if (shared.health().state() == SinkHealth.State.DOWN) {
            // Another partition's failure marked ClickHouse down: this one waits for its return too.
            shared.health().whenUp().thenRun(this::wake);
            return false;
        }
        if (log == null && !lookUpLog()) {
            return false;
        }
        try {
            if (connection == null) {
                connection = shared.clickhouse().connect();
            }
            if (ledger == null) {
                ledger = shared.clickhouse().ledger().from(connection, log, partition, queue.peekFirst().offset());
            }
        } catch (SQLException e) {
            return unwell(Refusal.of(e));
        }
        if (batch == null) {
            Optional<Batch> next = nextBatch();
            if (next.isEmpty()) {
                shared.timer().schedule(this::wake, Math.max(10, shared.batchMaxAge().toMillis() / 2), TimeUnit.MILLISECONDS);
                return false;
            }
            batch = next.get();
        }
        // Revoked while this step looked up its batch: the next owner may already have read the ledger.
        return !closed && advance(batch);
    }

    /** The topic's id, once per partition task: a recreated topic is a new task with a new id. */
    private boolean lookUpLog() {
        try {
            log = new BatchLedger.Log(topic, shared.topicIds().of(topic));
            return true;
        } catch (Exception e) {
            Duration wait = shared.retry().backoff(++failures, Optional.empty());
            LOG.warn("Cannot read the id of topic {} from Kafka ({}); {}-{} waits {} ms", topic, e.toString(), topic, partition,
                    wait.toMillis());
            waitFor(wait, false);
            return false;
        }
    }

    private final class Batch {
        final List<QueuedRecord<R>> records;
        final long first;
        final long last;
        final Deque<InsertStatement<R>> todo;
        final Map<QueuedRecord<R>, Refused> refused = new HashMap<>();
        boolean recorded;

        Batch(List<QueuedRecord<R>> records, long first, long last, boolean recorded) {
            this.records = records;
            this.first = first;
            this.last = last;
            this.todo = new ArrayDeque<>(InsertPlan.statements(records, table, shared.clickhouse().partitioning(),
                    BatchLedger.token(log, partition, first, last)));
            // A batch without rows writes nothing, not even its range.
            this.recorded = recorded || todo.isEmpty();
        }
    }

    /** The batch that starts at the head of the queue, if it is complete or old enough. */
    private Optional<Batch> nextBatch() {
        long head = queue.peekFirst().offset();
        while (!ledger.isEmpty() && ledger.peekFirst().last() < head) {
            ledger.pollFirst();
        }
        BatchLedger.Range recorded = ledger.peekFirst();
        List<QueuedRecord<R>> records = new ArrayList<>();
        if (recorded != null && recorded.first() <= head) {
            // A replay: exactly the records of the recorded range, whatever the batch settings are now.
            for (QueuedRecord<R> record : queue) {
                if (record.offset() > recorded.last()) {
                    return Optional.of(new Batch(records, recorded.first(), recorded.last(), true));
                }
                records.add(record);
                if (record.offset() == recorded.last()) {
                    return Optional.of(new Batch(records, recorded.first(), recorded.last(), true));
                }
            }
            return Optional.empty();
        }
        long stopAt = recorded == null ? Long.MAX_VALUE : recorded.first();
        int rows = 0;
        long bytes = 0;
        boolean complete = false;
        for (QueuedRecord<R> record : queue) {
            if (record.offset() >= stopAt) {
                complete = true;
                break;
            }
            if (!records.isEmpty() && bytes + record.bytes() > shared.batchBytes()) {
                complete = true;
                break;
            }
            records.add(record);
            rows += record.rows().size();
            bytes += record.bytes();
            if (rows >= shared.batchRows()) {
                complete = true;
                break;
            }
        }
        boolean old = now() - records.get(0).queuedNanos() >= shared.batchMaxAge().toNanos();
        return complete || old
                ? Optional.of(new Batch(records, head, records.get(records.size() - 1).offset(), false))
                : Optional.empty();
    }

    /** Records the batch's range if it is new, then sends its next statement, or finishes it. */
    private boolean advance(Batch batch) {
        try {
            if (!batch.recorded) {
                shared.clickhouse().ledger().record(connection, log, partition, batch.first, batch.last);
                ledger.addFirst(new BatchLedger.Range(batch.first, batch.last));
                batch.recorded = true;
            }
        } catch (SQLException e) {
            return unwell(Refusal.of(e));
        }
        InsertStatement<R> statement = batch.todo.peekFirst();
        if (statement == null) {
            finish(batch);
            return true;
        }
        Refusal refusal;
        try {
            table.insert(connection, statement.table(), statement.rows(), statement.token());
            batch.todo.pollFirst();
            failures = 0;
            return true;
        } catch (SQLException e) {
            refusal = Refusal.of(e);
        } catch (RuntimeException e) {
            refusal = Refusal.ofClient(e);
        }
        return refused(batch, statement, refusal);
    }

    private boolean refused(Batch batch, InsertStatement<R> statement, Refusal refusal) {
        if (refusal.kind() != Refusal.Kind.REFUSED) {
            return unwell(refusal);
        }
        Optional<Refusal> control = control(statement.table());
        if (control.isPresent()) {
            return unwell(control.get()); // ClickHouse refuses the table whatever the rows
        }
        if (!statement.isPiece() && statement.refused() < 2) {
            LOG.info("ClickHouse refused {} for {}-{} while it takes the table ({}); trying it again", statement, topic, partition,
                    refusal);
            waitFor(shared.retry().backoff(1, Optional.empty()), false);
            return false;
        }
        batch.todo.pollFirst();
        List<QueuedRecord<R>> records = statement.records();
        if (records.size() == 1) {
            QueuedRecord<R> record = records.get(0);
            LOG.warn("ClickHouse refused the rows of {} for {} on their own ({}); dead-lettering the record",
                    record.source().describe(), statement.table(), refusal);
            batch.refused.put(record, new Refused(statement.table(), statement.rows().size(), refusal));
        } else {
            if (!statement.isPiece()) {
                LOG.warn("ClickHouse refused {} again ({}); isolating the refused rows among its {} records", statement, refusal,
                        records.size());
            }
            List<InsertStatement<R>> halves = statement.halves();
            batch.todo.addFirst(halves.get(1));
            batch.todo.addFirst(halves.get(0));
        }
        return true;
    }

    /** Empty when ClickHouse takes the same INSERT without rows; else what it answered. */
    private Optional<Refusal> control(String tableName) {
        try {
            shared.clickhouse().control(connection, tableName);
            return Optional.empty();
        } catch (SQLException e) {
            return Optional.of(Refusal.of(e));
        } catch (RuntimeException e) {
            return Optional.of(Refusal.ofClient(e));
        }
    }

    private void finish(Batch batch) {
        for (QueuedRecord<R> record : batch.records) {
            queue.removeFirstOccurrence(record);
            Refused refused = batch.refused.get(record);
            if (refused == null) {
                record.inserted().complete(null);
            } else {
                String stored = record.rows().size() > refused.rows() ? " (its rows for other tables or partitions were stored)" : "";
                record.inserted().completeExceptionally(new PermanentDeliveryException("ClickHouse refused this record's "
                        + refused.rows() + " rows for " + refused.table() + " on their own" + stored + ": " + refused.refusal(),
                        refused.refusal().status()));
            }
        }
        this.batch = null;
    }

    /** ClickHouse did not answer, answered "not now", or refuses the table: the same statement after the backoff. */
    private boolean unwell(Object why) {
        // The records of the batch that failed (or would have gone, when connecting failed).
        shared.retries().accept(batch != null ? batch.records.size() : Math.min(queue.size(), shared.batchRows()));
        closeConnection();
        shared.health().failed(why.toString());
        Duration wait = shared.retry().backoff(++failures, Optional.empty());
        if (failures == 1 || failures % 10 == 0) {
            LOG.warn("ClickHouse failed for {}-{} (try {}), retrying in {} ms: {}", topic, partition, failures, wait.toMillis(), why);
        }
        waitFor(wait, true);
        return false;
    }

    /** Steps again after {@code wait}, or sooner once ClickHouse is back; with {@code untilUp}, not before it is up. */
    private void waitFor(Duration wait, boolean untilUp) {
        waitUntilNanos = now() + wait.toNanos();
        CompletableFuture<Object> waited = CompletableFuture.anyOf(
                new CompletableFuture<Void>().completeOnTimeout(null, wait.toMillis(), TimeUnit.MILLISECONDS),
                shared.health().nextRecovery(), closing);
        (untilUp ? waited.thenCompose(ignored -> CompletableFuture.anyOf(shared.health().whenUp(), closing)) : waited)
                .thenRun(() -> {
                    waitUntilNanos = now();
                    wake();
                });
    }

    private long now() {
        return shared.nanoClock().getAsLong();
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the connection is being replaced because it failed
            }
            connection = null;
        }
    }

    /**
     * Stops inserting. The delivery task has already waited for what could finish; what is still queued
     * is released, uncommitted, for the partition's next owner.
     */
    @Override
    public void close() {
        closed = true;
        closing.complete(null);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        try {
            while (running.get() && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(5);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (QueuedRecord<R> record; (record = queue.pollFirst()) != null; ) {
            record.inserted().completeExceptionally(new IllegalStateException("partition closed"));
        }
        closeConnection();
    }
}
