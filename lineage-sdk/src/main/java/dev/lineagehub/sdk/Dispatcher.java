package dev.lineagehub.sdk;

import dev.lineagehub.sdk.client.HubException;
import dev.lineagehub.sdk.client.RetryPolicy;
import dev.lineagehub.sdk.client.Transport;

import io.openlineage.client.OpenLineage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Takes events off the worker's thread and delivers them in order on one sender thread, so the
 * worker's loop never waits for (or fails because of) the hub. An event is retried as the policy
 * allows; an event that cannot be delivered within that bound, or that finds the queue full, is
 * logged as a warning and counted as dropped. Closing waits a bounded time for what is queued.
 */
final class Dispatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    private static final OpenLineage.RunEvent STOP = new OpenLineage(java.net.URI.create("urn:stop")).newRunEventBuilder().build();

    private final Transport transport;
    private final RetryPolicy retry;
    private final Duration closeTimeout;
    private final int capacity;
    private final BlockingQueue<OpenLineage.RunEvent> queue;
    private final Thread sender;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong settled = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private volatile boolean closed;

    Dispatcher(Transport transport, int capacity, RetryPolicy retry, Duration closeTimeout) {
        if (capacity < 1) {
            throw new IllegalArgumentException("the event queue needs room for at least one event, got " + capacity);
        }
        this.transport = transport;
        this.retry = retry;
        this.closeTimeout = closeTimeout;
        this.capacity = capacity;
        // One slot more than the events may take, so close() can always queue its stop marker.
        this.queue = new ArrayBlockingQueue<>(capacity + 1);
        this.sender = new Thread(this::run, "lineage-sdk-sender");
        sender.setDaemon(true);
        sender.start();
    }

    /** Queues an event without waiting; a full queue or a closed dispatcher drops it (counted, logged). */
    public void submit(OpenLineage.RunEvent event) {
        if (closed) {
            drop(event, "the emitter is closed");
            return;
        }
        accepted.incrementAndGet();
        if (queue.size() >= capacity || !queue.offer(event)) {
            settled.incrementAndGet();
            drop(event, "the queue is full");
        }
    }

    /** Events the destination acknowledged. */
    public long sent() {
        return sent.get();
    }

    /** Events given up on: not deliverable within the retry bound, refused, or not queued. */
    public long dropped() {
        return dropped.get();
    }

    /** Waits until every event queued so far is sent or dropped; false if that took longer than {@code timeout}. */
    public boolean flush(Duration timeout) throws InterruptedException {
        long target = accepted.get();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (settled.get() < target) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    private void run() {
        try {
            while (true) {
                OpenLineage.RunEvent event = queue.take();
                if (event == STOP) {
                    return;
                }
                deliver(event);
                settled.incrementAndGet();
            }
        } catch (InterruptedException abandoned) {
            // close() ran out of time: what is still queued is dropped there.
        }
    }

    private void deliver(OpenLineage.RunEvent event) {
        int[] attempts = {0};
        try {
            retry.call(() -> {
                attempts[0]++;
                transport.send(event);
                return null;
            }, failure -> true);
            sent.incrementAndGet();
        } catch (HubException failure) {
            String why = Thread.currentThread().isInterrupted() ? "still being retried when the emitter closed: "
                    : failure.retryable() ? "still failing after " + attempts[0] + " attempts: " : "refused: ";
            drop(event, why + failure.getMessage());
        } catch (RuntimeException unexpected) {
            drop(event, "the transport failed: " + unexpected);
        }
    }

    private void drop(OpenLineage.RunEvent event, String why) {
        dropped.incrementAndGet();
        log.warn("Dropped lineage event {} of run {} (job {}/{}) to {}: {}", event.getEventType(), event.getRun().getRunId(),
                event.getJob().getNamespace(), event.getJob().getName(), transport.describe(), why);
    }

    /** Stops taking events, gives the queued ones {@code closeTimeout} to go, drops the rest, closes the transport. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            queue.put(STOP);
            sender.join(closeTimeout.toMillis());
            if (sender.isAlive()) {
                sender.interrupt();
                sender.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            sender.interrupt();
        }
        for (OpenLineage.RunEvent left; (left = queue.poll()) != null; ) {
            if (left != STOP) {
                settled.incrementAndGet();
                drop(left, "still queued when the emitter closed");
            }
        }
        transport.close();
    }
}
