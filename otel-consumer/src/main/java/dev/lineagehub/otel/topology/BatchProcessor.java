package dev.lineagehub.otel.topology;

import dev.lineagehub.delivery.CommitBarrier;
import dev.lineagehub.delivery.PermanentDeliveryException;
import dev.lineagehub.delivery.SourceRecord;
import dev.lineagehub.otel.config.ClickHouseSettings;
import dev.lineagehub.otel.sink.BatchLedger;
import dev.lineagehub.otel.sink.ClickHouse;
import dev.lineagehub.runtime.RuntimeContext;

import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Buffers one partition's rows (spans or metric data points) and inserts them in offset-bounded batches, each with the token
 * {@code topic-partition-first-last}. A batch is inserted when it is full, when it is old, and before
 * every commit, so no offset is committed before its rows are in ClickHouse. While ClickHouse is
 * down the insert is retried and the partition waits; nothing is dropped or dead-lettered for it.
 * Batches end where they end again on a replay after a crash (see {@link BatchLedger}), so their
 * tokens match and ClickHouse drops what it already has.
 */
final class BatchProcessor<R> implements Processor<byte[], byte[], Void, Void>, CommitBarrier.PreCommitHook {

    private static final Logger LOG = LoggerFactory.getLogger(BatchProcessor.class);

    /** Decodes one record into its rows; throws an UndecodableRecordException to dead-letter it. */
    interface Decoder<R> {
        List<R> rows(byte[] value);
    }

    /** Inserts rows as one block per table with the batch's deduplication token. */
    interface Inserter<R> {
        void insert(Connection connection, List<R> rows, String deduplicationToken) throws SQLException;
    }

    private record Buffered<R>(SourceRecord source, List<R> rows) {
    }

    private final String name;
    private final ClickHouseSettings settings;
    private final ClickHouse clickhouse;
    private final Decoder<R> decoder;
    private final Inserter<R> table;
    private final RuntimeContext runtime;
    private final List<Buffered<R>> batch = new ArrayList<>();
    private ProcessorContext<Void, Void> context;
    private CommitBarrier.Registration registration;
    private Connection connection;
    private Deque<BatchLedger.Range> ledger;
    private BatchLedger.Range replaying;
    private int rows;
    private long first = -1;
    private long last = -1;
    private long startedNanos;

    BatchProcessor(String name, ClickHouseSettings settings, ClickHouse clickhouse, Decoder<R> decoder, Inserter<R> table,
                   RuntimeContext runtime) {
        this.name = name;
        this.settings = settings;
        this.clickhouse = clickhouse;
        this.decoder = decoder;
        this.table = table;
        this.runtime = runtime;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        registration = runtime.commitBarrier().register(this);
        Duration tick = Duration.ofMillis(Math.max(10, settings.batchMaxAge().toMillis() / 2));
        context.schedule(tick, PunctuationType.WALL_CLOCK_TIME, now -> {
            if (replaying == null && rows > 0 && System.nanoTime() - startedNanos >= settings.batchMaxAge().toNanos()) {
                insertBatch(true);
            }
        });
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata meta = context.recordMetadata().orElseThrow();
        long offset = meta.offset();
        if (ledger == null) {
            ledger = withClickHouse("read the batch ledger", c -> clickhouse.ledger().from(c, meta.topic(), meta.partition(), offset));
        }
        if (replaying != null && offset > replaying.last()) {
            insertBatch(false);
        }
        while (!ledger.isEmpty() && ledger.peekFirst().last() < offset) {
            ledger.pollFirst();
        }
        BatchLedger.Range known = ledger.peekFirst();
        List<R> decoded = decoder.rows(record.value());
        if (first < 0) {
            first = offset;
            startedNanos = System.nanoTime();
            if (known != null && known.first() == offset) {
                replaying = ledger.pollFirst();
            }
        }
        last = offset;
        batch.add(new Buffered<>(SourceRecord.capture(context, name, record, record.value()), decoded));
        rows += decoded.size();
        if (replaying != null ? offset >= replaying.last() : rows >= settings.batchRows()) {
            insertBatch(false);
        }
    }

    /** Runs on the stream thread just before Kafka Streams commits this task's offsets. */
    @Override
    public void beforeCommit() {
        if (replaying != null && last < replaying.last()) {
            LOG.warn("Committing in the middle of replayed batch {}-{} of {}; its rows may be stored twice",
                    replaying.first(), replaying.last(), context.taskId());
        }
        insertBatch(true);
    }

    /** @param cutShort the batch ends before it is full, so where it ends is written down for a replay */
    private void insertBatch(boolean cutShort) {
        if (batch.isEmpty()) {
            replaying = null;
            return;
        }
        String topic = batch.get(0).source().topic();
        int partition = batch.get(0).source().partition();
        long batchFirst = replaying != null ? replaying.first() : first;
        long batchLast = replaying != null ? replaying.last() : last;
        String token = topic + "-" + partition + "-" + batchFirst + "-" + batchLast;
        List<R> all = batch.stream().flatMap(b -> b.rows().stream()).toList();
        long start = System.nanoTime();
        boolean writeDown = cutShort && replaying == null;
        Optional<SQLException> refused = withClickHouse("insert " + all.size() + " rows as " + token, c -> {
            if (writeDown) {
                clickhouse.ledger().cutShort(c, topic, partition, batchFirst, batchLast);
            }
            return insertOrRefusal(c, all, token);
        });
        if (refused.isPresent()) {
            insertOneByOne(topic, partition, refused.get());
        } else {
            runtime.metrics().delivered(batch.size(), Duration.ofNanos(System.nanoTime() - start));
        }
        batch.clear();
        rows = 0;
        first = -1;
        last = -1;
        replaying = null;
    }

    /** ClickHouse refused the batch for its data: find the records it refuses and dead-letter only those. */
    private void insertOneByOne(String topic, int partition, SQLException cause) {
        LOG.warn("ClickHouse refused a batch of {} ({}); inserting its {} records one by one", context.taskId(),
                cause.getMessage(), batch.size());
        for (Buffered<R> record : batch) {
            long offset = record.source().offset();
            String token = topic + "-" + partition + "-" + offset + "-" + offset;
            Optional<SQLException> refused = withClickHouse("insert the rows of offset " + offset,
                    c -> insertOrRefusal(c, record.rows(), token));
            if (refused.isPresent()) {
                SQLException e = refused.get();
                runtime.deadLetters().publish(record.source(), new PermanentDeliveryException(
                        "ClickHouse refused the rows: " + e.getMessage(), "ClickHouse code " + e.getErrorCode()), 1).join();
            } else {
                runtime.metrics().delivered(1, Duration.ZERO);
            }
        }
    }

    /** Empty when inserted; ClickHouse's refusal when the data is wrong; a retryable failure is thrown. */
    private Optional<SQLException> insertOrRefusal(Connection connection, List<R> rows, String token) throws SQLException {
        try {
            table.insert(connection, rows, token);
            return Optional.empty();
        } catch (SQLException e) {
            if (ClickHouse.isRetryable(e)) {
                throw e;
            }
            return Optional.of(e);
        }
    }

    private interface ClickHouseCall<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Runs the call until it succeeds, waiting per the retry policy while ClickHouse is unreachable. */
    private <T> T withClickHouse(String what, ClickHouseCall<T> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                if (connection == null) {
                    connection = clickhouse.connect();
                }
                return call.run(connection);
            } catch (SQLException | RuntimeException e) {
                closeConnection();
                if (runtime.commitBarrier().givingUp()) {
                    throw new IllegalStateException("shutting down before ClickHouse took the batch; it stays uncommitted", e);
                }
                Duration wait = runtime.retryPolicy().backoff(attempt, Optional.empty());
                if (attempt == 1 || attempt % 10 == 0) {
                    LOG.warn("Could not {} for {} (attempt {}), retrying in {} ms: {}", what, context.taskId(), attempt,
                            wait.toMillis(), e.getMessage());
                }
                runtime.metrics().retried();
                sleep(wait);
            }
        }
    }

    private static void sleep(Duration wait) {
        try {
            TimeUnit.MILLISECONDS.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new org.apache.kafka.common.errors.InterruptException(e);
        }
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

    @Override
    public void close() {
        registration.close();
        closeConnection();
    }
}
