package dev.lineagehub.delivery;

import java.util.concurrent.TimeUnit;

/**
 * Counts unresolved deliveries against a capacity that can change.
 *
 * <p>One window is shared by the tasks of a stream thread, each adding its {@code MAX_IN_FLIGHT} while
 * it is assigned. A stream thread runs its tasks one after another; with a window per task, a task whose
 * window was full blocked the thread while the windows of its other tasks drained to nothing, which
 * halved throughput. A shared window blocks the thread only when all of its slots are taken.
 * The same class, with unlimited capacity, tells a dispatcher when its own deliveries are all resolved.
 */
public final class DeliveryWindow {

    private int capacity;
    private int unresolved;

    public DeliveryWindow() {
        this(0);
    }

    public DeliveryWindow(int capacity) {
        this.capacity = capacity;
    }

    /** Adds (or, negative, removes) slots; deliveries already taken stay until they resolve. */
    public synchronized void resize(int slots) {
        capacity += slots;
        notifyAll();
    }

    /** Takes a slot, waiting at most {@code timeout}; false if none came free in time. */
    public synchronized boolean tryAcquire(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (unresolved >= capacity) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        unresolved++;
        return true;
    }

    /** Waits at most {@code timeout} until no slot is taken; false if some still are. */
    public synchronized boolean awaitEmpty(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (unresolved > 0) {
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
        notifyAll();
    }

    public synchronized int unresolved() {
        return unresolved;
    }
}
