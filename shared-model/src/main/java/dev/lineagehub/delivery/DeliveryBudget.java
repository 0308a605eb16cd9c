package dev.lineagehub.delivery;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The delivery slots of one consumer instance: how many sink calls may run at once ({@code capacity},
 * {@code MAX_IN_FLIGHT} per assigned partition, pooled so a busy partition uses a quiet one's), and how
 * many records may be accepted but unresolved (twice that).
 *
 * <p>A stream thread never waits long here: when no slot comes free within {@code acceptWait}, or the
 * sink is down, the record is accepted anyway and the consumer pauses processing (Kafka Streams keeps
 * polling, so the group never evicts the member) until half a window of calls came free and the sink is
 * up. Calls beyond the capacity wait in line; a finished call hands its slot to the next in line.
 */
public final class DeliveryBudget {

    private static final long ACCEPTED_PER_SLOT = 2;
    private static final CompletableFuture<Void> NOW = CompletableFuture.completedFuture(null);

    private final long acceptWaitNanos;
    private final Object switchLock = new Object();
    private final Deque<CompletableFuture<Void>> waitingToCall = new ArrayDeque<>();
    private volatile Runnable pause = () -> { };
    private volatile Runnable resume = () -> { };
    private int capacity;
    private int unresolved;
    private int calling;
    private boolean full;
    private boolean sinkDown;
    private boolean paused;
    private boolean pauseApplied;

    public DeliveryBudget(long acceptWait, TimeUnit unit) {
        this.acceptWaitNanos = unit.toNanos(acceptWait);
    }

    /** What pausing and resuming processing means: {@code KafkaStreams::pause} and {@code ::resume}. */
    public void onPause(Runnable pause, Runnable resume) {
        this.pause = pause;
        this.resume = resume;
    }

    /** Adds (or, negative, removes) call slots; calls already running stay until they end. */
    public void resize(int slots) {
        Deque<CompletableFuture<Void>> started = new ArrayDeque<>();
        synchronized (this) {
            capacity += slots;
            while (calling < capacity && !waitingToCall.isEmpty()) {
                calling++;
                started.add(waitingToCall.poll());
            }
            notifyAll();
        }
        started.forEach(turn -> turn.complete(null));
        updatePause();
    }

    /**
     * Accepts one record, waiting at most {@code acceptWait} for room. A full window lets its thread
     * in again only once half a window's worth of records resolved: woken once per batch instead of
     * once per resolved record, the stream thread then accepts records back to back.
     */
    public void accept() throws InterruptedException {
        synchronized (this) {
            if (!paused && unresolved >= acceptLimit()) {
                long deadline = System.nanoTime() + acceptWaitNanos;
                while (!paused && unresolved > refillMark()) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        full = true;
                        paused = true;
                        break;
                    }
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                }
            }
            unresolved++;
        }
        updatePause();
    }

    /** An accepted record resolved, or was given up because its partition closed. */
    public void release() {
        synchronized (this) {
            unresolved--;
            if (unresolved <= refillMark()) {
                full = false;
                paused = sinkDown;
                notifyAll();
            }
        }
        updatePause();
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

    /** A sink call ended (or a turn was not used): its slot goes to the next in line. */
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

    /** While the sink is down no record is taken in: there is nothing to do with it but hold it. */
    public void sinkStateChanged(SinkHealth.State state) {
        synchronized (this) {
            sinkDown = state == SinkHealth.State.DOWN;
            paused = sinkDown || full;
            notifyAll();
        }
        updatePause();
    }

    public synchronized int unresolved() {
        return unresolved;
    }

    public synchronized boolean paused() {
        return paused;
    }

    private long acceptLimit() {
        return ACCEPTED_PER_SLOT * capacity;
    }

    /** Still at least half the calls' worth waiting in line at this mark, so the sink stays busy while the thread refills. */
    private long refillMark() {
        return acceptLimit() - Math.max(1, capacity / 2);
    }

    /** Applies the wanted pause state; serialized so that a pause and a resume decided concurrently end in the last one. */
    private void updatePause() {
        synchronized (switchLock) {
            boolean want;
            synchronized (this) {
                want = paused;
            }
            if (want != pauseApplied) {
                pauseApplied = want;
                (want ? pause : resume).run();
            }
        }
    }
}
