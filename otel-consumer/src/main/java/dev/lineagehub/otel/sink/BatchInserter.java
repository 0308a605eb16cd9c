package dev.lineagehub.otel.sink;

import dev.lineagehub.delivery.PermanentDeliveryException;
import dev.lineagehub.delivery.RetryPolicy;
import dev.lineagehub.delivery.SinkHealth;
import dev.lineagehub.delivery.SourceRecord;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Inserts one partition's rows in offset-ranged batches, exactly once. Every batch's range is written
 * to the {@link BatchLedger} before its insert and carries the token {@code topic-partition-first-last};
 * after a crash or a rebalance, on any instance, the records of a recorded range form the same batch
 * again, so ClickHouse drops the block it already has. Records outside recorded ranges are cut into
 * batches of {@code CLICKHOUSE_BATCH_ROWS} rows, or of what has waited {@code CLICKHOUSE_BATCH_MAX_MS}.
 *
 * <p>Runs on the insert executor, one step at a time per partition, never on a stream thread. While
 * ClickHouse fails the same batch is retried: after the backoff, or once {@link SinkHealth} sees
 * ClickHouse back. Rows ClickHouse refuses as data errors are isolated record by record; each refused
 * record's future fails permanently and the delivery task dead-letters it.
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

    private record Pending<R>(SourceRecord source, List<R> rows, long queuedNanos, CompletableFuture<Void> inserted) {
    }

    /** Inserts rows as one block per table with the batch's deduplication token. */
    public interface Table<R> {
        void insert(Connection connection, List<R> rows, String deduplicationToken) throws SQLException;
    }

    /**
     * What the inserters of a consumer share.
     *
     * @param retries counts the records of each failed insert: the consumers' {@code retries} metric
     *                counts records whose delivery attempt failed, here as in the HTTP consumers
     */
    public record Shared(ClickHouse clickhouse, SinkHealth health, RetryPolicy retry, Executor executor,
                         ScheduledExecutorService timer, int batchRows, Duration batchMaxAge,
                         java.util.function.IntConsumer retries) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(BatchInserter.class);

    private final Shared shared;
    private final Table<R> table;
    private final String topic;
    private final int partition;
    private final Deque<Pending<R>> queue = new ConcurrentLinkedDeque<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean woken = new AtomicBoolean();
    private final CompletableFuture<Void> closing = new CompletableFuture<>();
    private volatile boolean closed;
    private Deque<BatchLedger.Range> ledger;
    private Connection connection;
    private int failures;
    private long waitUntilNanos;

    public BatchInserter(Shared shared, Table<R> table, String topic, int partition) {
        this.shared = shared;
        this.table = table;
        this.topic = topic;
        this.partition = partition;
    }

    /** Queues one record's rows, on the stream thread in offset order; they are inserted from then on. */
    public Queued queue(SourceRecord source, List<R> rows) {
        Pending<R> pending = new Pending<>(source, rows, System.nanoTime(), new CompletableFuture<>());
        queue.add(pending);
        wake();
        return new Queued(pending.inserted(), rows.size());
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
                    // each step inserts one batch
                }
            } catch (RuntimeException e) {
                LOG.error("Inserter of {}-{} failed; retrying", topic, partition, e);
                retryLater(e.toString());
            } finally {
                running.set(false);
            }
        } while (woken.get() && !closed && running.compareAndSet(false, true));
    }

    /** Inserts the next batch if one is ready; false when there is nothing to do until a wake-up. */
    private boolean step() {
        if (queue.isEmpty() || System.nanoTime() - waitUntilNanos < 0) {
            return false;
        }
        if (shared.health().state() == SinkHealth.State.DOWN) {
            // Another partition's failure marked ClickHouse down: this one waits for its return too.
            shared.health().whenUp().thenRun(this::wake);
            return false;
        }
        try {
            if (connection == null) {
                connection = shared.clickhouse().connect();
            }
            if (ledger == null) {
                ledger = shared.clickhouse().ledger().from(connection, topic, partition, queue.peekFirst().source().offset());
            }
        } catch (SQLException | RuntimeException e) {
            retryLater(e.toString());
            return false;
        }
        Optional<Batch> next = nextBatch();
        if (next.isEmpty()) {
            shared.timer().schedule(this::wake, Math.max(10, shared.batchMaxAge().toMillis() / 2), TimeUnit.MILLISECONDS);
            return false;
        }
        return insert(next.get());
    }

    private final class Batch {
        final List<Pending<R>> records;
        final long first;
        final long last;

        Batch(List<Pending<R>> records, long first, long last) {
            this.records = records;
            this.first = first;
            this.last = last;
        }

        String token() {
            return topic + "-" + partition + "-" + first + "-" + last;
        }

        List<R> rows() {
            return records.stream().flatMap(p -> p.rows().stream()).toList();
        }
    }

    /** The batch that starts at the head of the queue, if it is complete or old enough. */
    private Optional<Batch> nextBatch() {
        long head = queue.peekFirst().source().offset();
        while (!ledger.isEmpty() && ledger.peekFirst().last() < head) {
            ledger.pollFirst();
        }
        BatchLedger.Range recorded = ledger.peekFirst();
        List<Pending<R>> records = new ArrayList<>();
        if (recorded != null && recorded.first() <= head) {
            // A replay: exactly the records of the recorded range, whatever the batch settings are now.
            for (Pending<R> pending : queue) {
                if (pending.source().offset() > recorded.last()) {
                    return Optional.of(new Batch(records, recorded.first(), recorded.last()));
                }
                records.add(pending);
                if (pending.source().offset() == recorded.last()) {
                    return Optional.of(new Batch(records, recorded.first(), recorded.last()));
                }
            }
            return Optional.empty();
        }
        long stopAt = recorded == null ? Long.MAX_VALUE : recorded.first();
        int rows = 0;
        boolean complete = false;
        for (Pending<R> pending : queue) {
            if (pending.source().offset() >= stopAt) {
                complete = true;
                break;
            }
            records.add(pending);
            rows += pending.rows().size();
            if (rows >= shared.batchRows()) {
                complete = true;
                break;
            }
        }
        boolean old = System.nanoTime() - records.get(0).queuedNanos() >= shared.batchMaxAge().toNanos();
        return complete || old
                ? Optional.of(new Batch(records, head, records.get(records.size() - 1).source().offset()))
                : Optional.empty();
    }

    private boolean insert(Batch batch) {
        List<R> rows = batch.rows();
        if (closed) {
            // Revoked while this step looked up its batch: the next owner may already have read the ledger.
            return false;
        }
        try {
            if (!rows.isEmpty()) {
                shared.clickhouse().ledger().record(connection, topic, partition, batch.first, batch.last);
                ledger.addFirst(new BatchLedger.Range(batch.first, batch.last));
                table.insert(connection, rows, batch.token());
            }
        } catch (SQLException e) {
            if (ClickHouse.isRetryable(e)) {
                retryLater(e.getMessage());
                return false;
            }
            insertOneByOne(batch, e);
            return true;
        } catch (RuntimeException e) {
            retryLater(e.toString());
            return false;
        }
        failures = 0;
        batch.records.forEach(pending -> complete(pending, null));
        return true;
    }

    /** ClickHouse refused the batch for its data: find the records it refuses; the others go in on their own. */
    private void insertOneByOne(Batch batch, SQLException cause) {
        LOG.warn("ClickHouse refused batch {} ({}); inserting its {} records one by one", batch.token(), cause.getMessage(),
                batch.records.size());
        for (Pending<R> pending : batch.records) {
            long offset = pending.source().offset();
            try {
                if (!pending.rows().isEmpty()) {
                    table.insert(connection, pending.rows(), topic + "-" + partition + "-" + offset + "-" + offset);
                }
                complete(pending, null);
            } catch (SQLException e) {
                if (ClickHouse.isRetryable(e)) {
                    retryLater(e.getMessage());
                    return;
                }
                complete(pending, new PermanentDeliveryException("ClickHouse refused the rows: " + e.getMessage(),
                        "ClickHouse code " + e.getErrorCode()));
            }
        }
    }

    private void complete(Pending<R> pending, Exception refusal) {
        queue.remove(pending);
        if (refusal == null) {
            pending.inserted().complete(null);
        } else {
            pending.inserted().completeExceptionally(refusal);
        }
    }

    private void retryLater(String why) {
        // The records of the batch that failed (or would have gone, when connecting failed).
        shared.retries().accept(Math.min(queue.size(), shared.batchRows()));
        closeConnection();
        shared.health().failed(why);
        Duration wait = shared.retry().backoff(++failures, Optional.empty());
        if (failures == 1 || failures % 10 == 0) {
            LOG.warn("ClickHouse failed for {}-{} (try {}), retrying in {} ms: {}", topic, partition, failures, wait.toMillis(), why);
        }
        waitUntilNanos = System.nanoTime() + wait.toNanos();
        CompletableFuture.anyOf(new CompletableFuture<Void>().completeOnTimeout(null, wait.toMillis(), TimeUnit.MILLISECONDS),
                        shared.health().nextRecovery(), closing)
                .thenCompose(ignored -> CompletableFuture.anyOf(shared.health().whenUp(), closing))
                .thenRun(() -> {
                    waitUntilNanos = System.nanoTime();
                    wake();
                });
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
        for (Pending<R> pending; (pending = queue.pollFirst()) != null; ) {
            pending.inserted().completeExceptionally(new IllegalStateException("partition closed"));
        }
        closeConnection();
    }
}
