package dev.lineagehub.delivery.flow;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The delivery slots of one consumer instance: how many sink calls may run at once ({@code capacity},
 * {@code MAX_IN_FLIGHT} per assigned partition, pooled so a busy partition uses a quiet one's), and how
 * many records may be accepted but unresolved (twice that), and, where the consumer bounds it, how many
 * bytes of theirs ({@link #boundBytes}): what a record holds in memory until it resolves grows with its
 * value, so a count of records alone lets a few partitions of large records fill the heap.
 *
 * <p>A stream thread never waits long here: when no slot comes free within {@code acceptWait}, or the
 * sink is down, the record is accepted anyway and the consumer pauses processing (Kafka Streams keeps
 * polling, so the group never evicts the member) until half a window of calls came free and the sink is
 * up. Calls beyond the capacity, or beyond the sink's {@link ConcurrencyLimit} when there is one, wait
 * in line; a finished call hands its slot to the next in line.
 */
public final class DeliveryBudget {

    private static final long ACCEPTED_PER_SLOT = 2;
    static final long SLOW_CALL_MIN_MILLIS = 1_000;
    static final int SLOW_CALL_FACTOR = 4;
    public static final long SLOW_CALL_SWEEP_MILLIS = 100;
    private static final CompletableFuture<Void> NOW = CompletableFuture.completedFuture(null);

    private final long acceptWaitNanos;
    private final Object switchLock = new Object();
    private final Deque<CompletableFuture<Void>> waitingToCall = new ArrayDeque<>();
    private volatile Runnable pause = () -> { };
    private volatile Runnable resume = () -> { };
    private ConcurrencyLimit limit;
    private int capacity;
    private int unresolved;
    private long unresolvedBytes;
    private long acceptBytes = Long.MAX_VALUE;
    private int calling;
    /** Calls in progress that count against the adaptive limit: the slow ones no longer do. */
    private int limitedCalling;
    private final Deque<Call> running = new ArrayDeque<>();
    /** Every call in progress, oldest first: the age of the first tells a hung sink before any timeout does. */
    private final Set<Call> inProgress = new LinkedHashSet<>();
    private final LongSupplier nanoClock;
    private boolean full;
    private boolean sinkDown;
    private boolean paused;
    private boolean pauseApplied;

    public DeliveryBudget(long acceptWait, TimeUnit unit) {
        this(acceptWait, unit, System::nanoTime);
    }

    /** @param nanoClock when calls start and sweeps run ({@code System::nanoTime}; a test's own clock) */
    DeliveryBudget(long acceptWait, TimeUnit unit, LongSupplier nanoClock) {
        this.acceptWaitNanos = unit.toNanos(acceptWait);
        this.nanoClock = nanoClock;
    }

    /**
     * Bounds the bytes of the records accepted but unresolved, across the instance's partitions: past it the
     * consumer pauses as when the window is full, until half of them resolved. One record is always let in, so a
     * record larger than the bound passes alone.
     */
    public synchronized void boundBytes(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("a byte bound must be positive: " + bytes);
        }
        acceptBytes = bytes;
    }

    /** What pausing and resuming processing means: {@code KafkaStreams::pause} and {@code ::resume}. */
    public void onPause(Runnable pause, Runnable resume) {
        this.pause = pause;
        this.resume = resume;
    }

    /**
     * Lets the sink's latency decide how many calls run at once, up to the capacity; without it, as
     * many as the capacity allows.
     */
    public synchronized void adaptTo(ConcurrencyLimit concurrencyLimit) {
        this.limit = concurrencyLimit;
        limit.maximum(capacity);
    }

    /** The calls that may run at once now, the slow ones aside. */
    public synchronized int callLimit() {
        return limit == null ? capacity : Math.min(capacity, limit.current());
    }

    /** Sink calls running now. */
    public synchronized int calling() {
        return calling;
    }

    /** A sink call in progress, from its turn to its end. */
    public static final class Call {
        private final long startNanos;
        private final int inFlightAtStart;
        private boolean slow;
        private boolean ended;

        private Call(long startNanos, int inFlightAtStart) {
            this.startNanos = startNanos;
            this.inFlightAtStart = inFlightAtStart;
        }

        public long startNanos() {
            return startNanos;
        }
    }

    /** Adds (or, negative, removes) call slots; calls already running stay until they end. */
    public void resize(int slots) {
        Deque<CompletableFuture<Void>> started;
        synchronized (this) {
            capacity += slots;
            if (limit != null) {
                limit.maximum(capacity);
            }
            started = grantTurns();
            notifyAll();
        }
        started.forEach(turn -> turn.complete(null));
        updatePause();
    }

    /**
     * Accepts one record of {@code bytes}, waiting at most {@code acceptWait} for room. A full window lets its thread
     * in again only once half a window's worth of records (and of bytes) resolved: woken once per batch instead of
     * once per resolved record, the stream thread then accepts records back to back.
     */
    public void accept(long bytes) throws InterruptedException {
        synchronized (this) {
            if (!paused && (unresolved >= acceptLimit() || unresolvedBytes >= acceptBytes)) {
                long deadline = System.nanoTime() + acceptWaitNanos;
                while (!paused && !refilled()) {
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
            unresolvedBytes += bytes;
        }
        updatePause();
    }

    /** An accepted record of {@code bytes} resolved, or was given up because its partition closed. */
    public void release(long bytes) {
        synchronized (this) {
            unresolved--;
            unresolvedBytes -= bytes;
            if (refilled()) {
                full = false;
                paused = sinkDown;
                notifyAll();
            }
        }
        updatePause();
    }

    /** A turn to call the sink: at once while fewer than {@link #callLimit()} calls run, else when one ends. */
    public synchronized CompletableFuture<Void> turnToCall() {
        if (waitingToCall.isEmpty() && mayStart()) {
            calling++;
            limitedCalling++;
            return NOW;
        }
        CompletableFuture<Void> turn = new CompletableFuture<>();
        waitingToCall.add(turn);
        return turn;
    }

    /**
     * Gives up a turn that is no longer wanted (its task closed). Returns true if it was still waiting;
     * false if it had been granted meanwhile, and then the caller ends it with {@link #turnUnused()}.
     */
    public synchronized boolean cancelTurn(CompletableFuture<Void> turn) {
        return waitingToCall.remove(turn);
    }

    /** A granted turn was not used. */
    public void turnUnused() {
        end(null, () -> { });
    }

    /** The call of a granted turn starts now. */
    public synchronized Call callStarted() {
        Call call = new Call(nanoClock.getAsLong(), limitedCalling);
        inProgress.add(call);
        if (limit != null) {
            running.add(call);
        }
        return call;
    }

    /** The call ended in a way that says nothing about the sink's load (it is down, or the record failed before it). */
    public void callEnded(Call call) {
        end(call, () -> { });
    }

    /** The sink answered the call after this long. */
    public void callAnswered(Call call, long latencyNanos) {
        end(call, () -> {
            if (limit != null) {
                limit.answered(latencyNanos, call.inFlightAtStart);
            }
        });
    }

    /** The call timed out, or the sink said it is overloaded. */
    public void callOverloaded(Call call) {
        end(call, () -> {
            if (limit != null) {
                limit.overloaded();
            }
        });
    }

    /**
     * Calls in progress for much longer than the sink's unloaded latency (at least
     * {@value #SLOW_CALL_MIN_MILLIS} ms, {@value #SLOW_CALL_FACTOR} times it) stop counting against the
     * adaptive limit: one huge event, or one record the sink holds, must not stop every other call;
     * the capacity still bounds them all. Called every {@value #SLOW_CALL_SWEEP_MILLIS} ms.
     */
    public void releaseSlowCalls() {
        Deque<CompletableFuture<Void>> started;
        synchronized (this) {
            if (limit == null) {
                return;
            }
            long slowAfter = Math.max(TimeUnit.MILLISECONDS.toNanos(SLOW_CALL_MIN_MILLIS),
                    SLOW_CALL_FACTOR * limit.unloadedLatency().toNanos());
            long now = nanoClock.getAsLong();
            for (Call head; (head = running.peek()) != null && (head.ended || now - head.startNanos >= slowAfter); ) {
                running.poll();
                if (!head.ended) {
                    head.slow = true;
                    limitedCalling--;
                }
            }
            started = grantTurns();
        }
        started.forEach(turn -> turn.complete(null));
    }

    private void end(Call call, Runnable sample) {
        Deque<CompletableFuture<Void>> started;
        synchronized (this) {
            calling--;
            if (call == null || !call.slow) {
                limitedCalling--;
            }
            if (call != null) {
                inProgress.remove(call);
                call.ended = true;
                sample.run();
            }
            started = grantTurns();
        }
        started.forEach(turn -> turn.complete(null));
    }

    private boolean mayStart() {
        return calling < capacity && limitedCalling < callLimit();
    }

    /** Hands out turns while calls are below the limit; the caller completes them outside the lock. */
    private Deque<CompletableFuture<Void>> grantTurns() {
        Deque<CompletableFuture<Void>> started = new ArrayDeque<>();
        while (!waitingToCall.isEmpty() && mayStart()) {
            calling++;
            limitedCalling++;
            started.add(waitingToCall.poll());
        }
        return started;
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

    /** How long the oldest call in progress has been running; zero when none is. */
    public synchronized Duration oldestCall() {
        Iterator<Call> oldest = inProgress.iterator();
        return oldest.hasNext() ? Duration.ofNanos(nanoClock.getAsLong() - oldest.next().startNanos) : Duration.ZERO;
    }

    public synchronized int unresolved() {
        return unresolved;
    }

    public synchronized boolean paused() {
        return paused;
    }

    /** Down to the refill marks: of the records, and of the bytes (half the bound) where they are bounded. */
    private boolean refilled() {
        return unresolved <= refillMark() && (acceptBytes == Long.MAX_VALUE || unresolvedBytes <= acceptBytes / 2);
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
