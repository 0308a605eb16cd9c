package dev.lineagehub.otel.sink;

import dev.lineagehub.delivery.RetryableDeliveryException;
import dev.lineagehub.delivery.Sink;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * otel-consumer's sink: a record's rows are queued in its partition's {@link BatchInserter} as the
 * record is processed; its delivery completes when the batch holding them is in ClickHouse.
 */
public final class ClickHouseSink implements Sink<BatchInserter.Queued> {

    private final ClickHouse clickhouse;
    private final Executor executor;

    public ClickHouseSink(ClickHouse clickhouse, Executor executor) {
        this.clickhouse = clickhouse;
        this.executor = executor;
    }

    @Override
    public CompletionStage<Void> deliver(BatchInserter.Queued queued) {
        return queued.inserted();
    }

    /**
     * ClickHouse is up when every table rows go to takes an insert: the control insert (no rows) on
     * each, so a read-only server, a missing table or a lost grant keep it down, as they keep inserts
     * out. Asked on the insert executor, since JDBC blocks.
     */
    @Override
    public CompletionStage<Void> probe() {
        return CompletableFuture.runAsync(() -> {
            try (Connection connection = clickhouse.connect()) {
                for (String table : clickhouse.insertedTables()) {
                    clickhouse.control(connection, table);
                }
            } catch (SQLException | RuntimeException e) {
                throw new RetryableDeliveryException("ClickHouse probe failed: " + e.getMessage(), "probe");
            }
        }, executor);
    }
}
