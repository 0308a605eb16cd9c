package dev.lineagehub.sdk.client;

import io.openlineage.client.OpenLineage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Collects run events and POSTs them to ingest-api as one array: when {@code maxEvents} are waiting,
 * when the oldest has waited {@code maxAge}, and on {@link #close()}. A flush the caller makes (by
 * {@link #add} or {@link #flush}) throws the {@link HubException} of a batch that could not be sent; a
 * flush on age has no caller, so its failure is logged and its events counted as {@link #dropped()}.
 */
public final class BatchingClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BatchingClient.class);

    private final HubClient client;
    private final int maxEvents;
    private final Duration maxAge;
    private final ScheduledExecutorService timer;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private List<OpenLineage.RunEvent> pending = new ArrayList<>();
    private long oldestNanos;
    private boolean closed;

    public BatchingClient(HubClient client, int maxEvents, Duration maxAge) {
        if (maxEvents < 1 || maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("a batch needs maxEvents >= 1 and a positive maxAge");
        }
        this.client = client;
        this.maxEvents = maxEvents;
        this.maxAge = maxAge;
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "lineage-sdk-batch");
            thread.setDaemon(true);
            return thread;
        });
        long tick = Math.max(1, maxAge.toMillis() / 4);
        timer.scheduleWithFixedDelay(this::flushIfOld, tick, tick, TimeUnit.MILLISECONDS);
    }

    public void add(OpenLineage.RunEvent event) {
        List<OpenLineage.RunEvent> full = null;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the batching client is closed");
            }
            if (pending.isEmpty()) {
                oldestNanos = System.nanoTime();
            }
            pending.add(event);
            if (pending.size() >= maxEvents) {
                full = take();
            }
        }
        send(full);
    }

    public void flush() {
        List<OpenLineage.RunEvent> batch;
        synchronized (this) {
            batch = take();
        }
        send(batch);
    }

    /** Events sent so far. */
    public long sent() {
        return sent.get();
    }

    /** Events of age-triggered batches that could not be sent. */
    public long dropped() {
        return dropped.get();
    }

    private void flushIfOld() {
        List<OpenLineage.RunEvent> batch;
        synchronized (this) {
            if (pending.isEmpty() || System.nanoTime() - oldestNanos < maxAge.toNanos()) {
                return;
            }
            batch = take();
        }
        try {
            send(batch);
        } catch (HubException e) {
            dropped.addAndGet(batch.size());
            log.warn("Dropped a batch of {} lineage events after retries: {}", batch.size(), e.getMessage());
        }
    }

    private List<OpenLineage.RunEvent> take() {
        List<OpenLineage.RunEvent> batch = pending;
        pending = new ArrayList<>();
        return batch;
    }

    private void send(List<OpenLineage.RunEvent> batch) {
        if (batch != null && !batch.isEmpty()) {
            client.sendLineage(batch, null);
            sent.addAndGet(batch.size());
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        timer.shutdownNow();
        flush();
    }
}
