package dev.lineagehub.delivery;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The delivery slots of one stream thread: how many sink calls may run at once ({@code capacity}),
 * and how many items may be accepted but unresolved (twice that).
 *
 * <p>Each task of the thread adds its {@code MAX_IN_FLIGHT} while it is assigned. A stream thread runs
 * its tasks one after another; with a window per task, a task whose window was full blocked the thread
 * while the windows of its other tasks drained, which halved throughput. The items beyond the calls
 * wait in line for a call slot, so a finished call hands its slot to the next item on the thread that
 * saw it finish, without waiting for the stream thread to wake up and process the next record.
 * The same class, with unlimited capacity, tells a dispatcher when its own deliveries are all resolved.
 */
public final class DeliveryWindow {

    private static final long ACCEPTED_PER_SLOT = 2;
    private static final CompletableFuture<Void> NOW = CompletableFuture.completedFuture(null);

    private final Deque<CompletableFuture<Void>> waitingToCall = new ArrayDeque<>();
    private int capacity;
    private int unresolved;
    private int calling;

    public DeliveryWindow() {
        this(0);
    }

    public DeliveryWindow(int capacity) {
        this.capacity = capacity;
    }

    /** Adds (or, negative, removes) slots; deliveries already taken stay until they resolve. */
    public void resize(int slots) {
        List<CompletableFuture<Void>> started = new ArrayList<>();
        synchronized (this) {
            capacity += slots;
            while (calling < capacity && !waitingToCall.isEmpty()) {
                calling++;
                started.add(waitingToCall.poll());
            }
            notifyAll();
        }
        started.forEach(turn -> turn.complete(null));
    }

    /**
     * Accepts an item, waiting at most {@code timeout} for room; false if none came free in time. A full
     * window lets its thread in again only once half a window's worth of calls came free: woken once
     * per batch instead of once per resolved item, the stream thread then accepts records back to back.
     */
    public synchronized boolean tryAcquire(long timeout, TimeUnit unit) throws InterruptedException {
        if (unresolved >= acceptLimit() && !waitUntil(() -> unresolved <= refillMark(), timeout, unit)) {
            return false;
        }
        unresolved++;
        return true;
    }

    private long acceptLimit() {
        return ACCEPTED_PER_SLOT * capacity;
    }

    /** Still at least half the calls' worth waiting in line at this mark, so the sink stays busy while the thread refills. */
    private long refillMark() {
        return acceptLimit() - Math.max(1, capacity / 2);
    }

    /** A turn to call the sink: at once while fewer than {@code capacity} calls run, else when one ends. */
    public synchronized CompletableFuture<Void> turnToCall() {
        if (calling < capacity) {
            calling++;
            return NOW;
        }
        CompletableFuture<Void> turn = new CompletableFuture<>();
        waitingToCall.add(turn);
        return turn;
    }

    /** A sink call ended: its slot goes to the next item in line, whose call starts on this thread. */
    public void callEnded() {
        CompletableFuture<Void> next = null;
        synchronized (this) {
            if (calling <= capacity && !waitingToCall.isEmpty()) {
                next = waitingToCall.poll();
            } else {
                calling--;
            }
        }
        if (next != null) {
            next.complete(null);
        }
    }

    /** Waits at most {@code timeout} until no item is unresolved; false if some still are. */
    public synchronized boolean awaitEmpty(long timeout, TimeUnit unit) throws InterruptedException {
        return waitUntil(() -> unresolved == 0, timeout, unit);
    }

    /** Waits on this window's monitor (held by the caller) until the condition holds or the time is up. */
    private boolean waitUntil(BooleanSupplier condition, long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (!condition.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    public synchronized void release() {
        unresolved--;
        if (unresolved <= refillMark() || unresolved == 0) {
            notifyAll();
        }
    }

    public synchronized int unresolved() {
        return unresolved;
    }
}
