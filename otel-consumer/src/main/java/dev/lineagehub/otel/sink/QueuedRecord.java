package dev.lineagehub.otel.sink;

import dev.lineagehub.delivery.SourceRecord;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One record's rows in its partition's queue, until its batch is inserted ({@link #inserted()}
 * completes) or its rows are refused. Equal only to itself: statements map records to their rows.
 */
final class QueuedRecord<R> {

    private final SourceRecord source;
    private final List<R> rows;
    private final long queuedNanos;
    private final CompletableFuture<Void> inserted = new CompletableFuture<>();

    QueuedRecord(SourceRecord source, List<R> rows, long queuedNanos) {
        this.source = source;
        this.rows = rows;
        this.queuedNanos = queuedNanos;
    }

    SourceRecord source() {
        return source;
    }

    long offset() {
        return source.offset();
    }

    List<R> rows() {
        return rows;
    }

    /** The record's value as read from Kafka, what a batch's byte bound counts. */
    long bytes() {
        return source.valueBytes();
    }

    long queuedNanos() {
        return queuedNanos;
    }

    CompletableFuture<Void> inserted() {
        return inserted;
    }
}
