package dev.lineagehub.delivery;

import dev.lineagehub.delivery.flow.DeliveryBudget;
import dev.lineagehub.delivery.flow.SinkHealth;
import dev.lineagehub.delivery.offsets.OffsetTracker;

import org.apache.kafka.common.errors.InterruptException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Delivers the records of one input partition: concurrently across keys, one after another within a
 * key, each record ending delivered or dead-lettered (then its offset may be committed, see
 * {@link OffsetTracker}) or, once the task is closed, abandoned uncommitted for the next owner.
 *
 * <p>Lifecycle: OPEN → CLOSING → CLOSED. A task that is not OPEN starts no sink call, no retry and no
 * dead letter; {@link #close()} waits, at most the close timeout, for the calls it already started so
 * that none of them reaches the sink after the partition's next owner delivered the same key.
 *
 * <p>A retryable failure waits for the record's backoff, or for the sink to be back when it is down
 * ({@link SinkHealth}); attempts made while the sink acknowledges other records count towards the
 * record's limit, after which it is dead-lettered as {@link PermanentDeliveryException#SINK_POISON}.
 * Whatever else the sink or the preparation throws dead-letters the record.
 *
 * <p>Threads: a record with nothing of its key ahead of it is handed to the sink on the stream thread
 * when a call slot is free; a successful answer, the slot it frees and the key's next record are
 * handled on the thread that completed the call ({@link #inline}: bookkeeping and the next
 * {@link Sink#deliver}, which by its contract neither waits on I/O nor maps). Retries and dead letters
 * continue on the delivery executor. Each hop between threads is a wake-up during which a freed slot
 * stays unused (docs/benchmarks.md, the 5 ms benchmark).
 */
public final class DeliveryTask<T> implements AutoCloseable {

    public enum State { OPEN, CLOSING, CLOSED }

    /**
     * Where one record is: PREPARING (on the stream thread), WAITING_ON_KEY (an earlier record of its key
     * is not resolved), WAITING_FOR_TURN (for a call slot), CALLING, BACKING_OFF (after a retryable
     * failure, or until the sink is back), DEAD_LETTERING; then RESOLVED (delivered, dead-lettered or
     * filtered: its offset may be committed) or ABANDONED (the task closed first: uncommitted). The last
     * two are final, and a record reaches exactly one of them.
     */
    public enum Phase {
        PREPARING, WAITING_ON_KEY, WAITING_FOR_TURN, CALLING, BACKING_OFF, DEAD_LETTERING, RESOLVED, ABANDONED;

        boolean isFinal() {
            return this == RESOLVED || this == ABANDONED;
        }
    }

    /** What a record becomes: an item to deliver after the earlier items with the same key. */
    public record Work<T>(String key, T item) {
    }

    /** Turns a record into work; null skips it on purpose (counted as filtered); throwing dead-letters it. */
    @FunctionalInterface
    public interface Preparation<T> {
        Work<T> prepare() throws Exception;
    }

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryTask.class);
    private static final long WARN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final int MAX_INLINE_DEPTH = 8;
    private static final ThreadLocal<int[]> INLINE_DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private final DeliveryService<T> service;
    private final String name;
    private final OffsetTracker tracker;
    private final int slots;
    private final Map<String, CompletableFuture<Void>> lastOfKey = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> closing = new CompletableFuture<>();
    /**
     * Turns this task's records wait for, so that closing cancels them. Not each one combined with
     * {@link #closing}: every such combination stays on {@code closing} until it completes, and each
     * granted turn then scans them all (quadratic in the records waiting: 3 % of the event loops'
     * samples at 128 in flight).
     */
    private final Set<CompletableFuture<Void>> waitingTurns = ConcurrentHashMap.newKeySet();
    /** The records taken and not resolved or abandoned yet. */
    private final Set<Item> unfinished = ConcurrentHashMap.newKeySet();
    private final Object activeLock = new Object();
    private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_INTERVAL_NANOS);
    private volatile State state = State.OPEN;
    private int active;

    DeliveryTask(DeliveryService<T> service, String name, OffsetTracker tracker, int slots) {
        this.service = service;
        this.name = name;
        this.tracker = tracker;
        this.slots = slots;
        service.budget().resize(slots);
    }

    public State state() {
        return state;
    }

    /** How many of this task's unfinished records are in each phase now (phases without records left out). */
    public Map<Phase, Integer> phases() {
        Map<Phase, Integer> counts = new EnumMap<>(Phase.class);
        unfinished.forEach(item -> counts.merge(item.phase.get(), 1, Integer::sum));
        counts.keySet().removeIf(Phase::isFinal);
        return counts;
    }

    /**
     * Takes one record of the partition, on the stream thread. Waits only briefly for room in the
     * budget; never throws for the record's sake.
     */
    public void process(SourceRecord source, Preparation<T> preparation) {
        tracker.registered(source.offset());
        try {
            service.budget().accept(source.valueBytes());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException(e);
        }
        service.metrics().inFlight().incrementAndGet();
        Work<T> work;
        try {
            work = preparation.prepare();
        } catch (Exception | StackOverflowError e) {
            deadLetter(new Item(source, null, null), e, 0);
            return;
        }
        Item item = new Item(source, work == null ? null : work.key(), work == null ? null : work.item());
        if (work == null) {
            service.metrics().filtered();
            resolve(item);
            return;
        }
        String key = item.key == null ? source.describe() : item.key;
        CompletableFuture<Void> previous = lastOfKey.put(key, item.done);
        item.done.whenComplete((ignored, error) -> lastOfKey.remove(key, item.done));
        if (previous != null) {
            item.moveTo(Phase.WAITING_ON_KEY);
        }
        if (previous == null) {
            awaitTurn(item); // nothing of the key ahead: from the stream thread, no hop (Sink.deliver is cheap)
        } else {
            previous.thenRun(() -> inline(() -> awaitTurn(item))); // at once, here, if the previous one is done
        }
    }

    private void awaitTurn(Item item) {
        if (state != State.OPEN) {
            abandon(item);
            return;
        }
        item.moveTo(Phase.WAITING_FOR_TURN);
        CompletableFuture<Void> turn = service.budget().turnToCall();
        if (turn.isDone()) {
            call(item);
            return;
        }
        waitingTurns.add(turn);
        turn.whenComplete((granted, cancelled) -> inline(() -> {
            waitingTurns.remove(turn);
            if (cancelled != null) {
                abandon(item); // cancelled by a closing task before the budget granted it
            } else {
                call(item);
            }
        }));
        if (state != State.OPEN) {
            cancelWaiting(turn); // closed between the check above and the add: the close may not have seen this turn
        }
    }

    /**
     * A closing task stops waiting for a turn at once: its records are abandoned, not held until a slot
     * frees. A turn the budget already granted is not cancelled; its record sees the task closed.
     */
    private void cancelWaiting(CompletableFuture<Void> turn) {
        if (service.budget().cancelTurn(turn)) {
            turn.cancel(false);
        }
    }

    /** Uses a granted turn: calls the sink, unless the task closed since the turn was asked for. */
    private void call(Item item) {
        begin();
        // Checked after begin(): a close that saw no call active has already set the state this reads,
        // so no call reaches the sink once close() returned.
        if (state != State.OPEN) {
            service.budget().turnUnused();
            abandon(item);
            end();
            return;
        }
        item.moveTo(Phase.CALLING);
        item.attempts++;
        if (item.attempts == 1) {
            item.startNanos = System.nanoTime();
            item.acknowledgementsSeen = service.health().acknowledgements();
        }
        DeliveryBudget.Call budgetCall = service.budget().callStarted();
        CompletionStage<Void> call;
        try {
            call = service.sink().deliver(item.item);
        } catch (Exception | StackOverflowError e) {
            // Also what a client throws without declaring it (a checked URISyntaxException, say).
            call = CompletableFuture.failedFuture(e);
        }
        call.whenComplete((ignored, error) -> {
            if (error == null) {
                inline(() -> ended(item, budgetCall, null));
            } else {
                service.executor().execute(() -> ended(item, budgetCall, error)); // retries and dead letters may block
            }
        });
    }

    /**
     * Runs a step on the thread that made it possible (the one that answered a call, freed a slot or
     * finished the key's previous record), without a hop: the sink gets its next call as soon as a slot
     * frees. Nested steps go to the delivery executor past {@value #MAX_INLINE_DEPTH} levels, as Netty
     * bounds its listeners' stack, so that a sink answering synchronously does not recurse through
     * every waiting record.
     */
    private void inline(Runnable step) {
        int[] depth = INLINE_DEPTH.get();
        if (depth[0] >= MAX_INLINE_DEPTH) {
            service.executor().execute(step);
            return;
        }
        depth[0]++;
        try {
            step.run();
        } finally {
            depth[0]--;
        }
    }

    private void ended(Item item, DeliveryBudget.Call budgetCall, Throwable error) {
        callEnded(budgetCall, unwrap(error));
        try {
            outcome(item, error);
        } finally {
            end();
        }
    }

    /** What the call tells about the sink's load: an answer and its latency, overload, or nothing (down, or not the sink). */
    private void callEnded(DeliveryBudget.Call call, Throwable error) {
        if (error == null || error instanceof PermanentDeliveryException) {
            long latency = System.nanoTime() - call.startNanos();
            service.callLatency().record(latency, TimeUnit.NANOSECONDS);
            service.budget().callAnswered(call, latency);
        } else if (error instanceof RetryableDeliveryException retryable && retryable.overload()
                && service.health().state() == SinkHealth.State.UP) {
            service.budget().callOverloaded(call);
        } else {
            service.budget().callEnded(call);
        }
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    private void outcome(Item item, Throwable error) {
        if (error == null) {
            service.health().succeeded();
            service.metrics().delivered(1, Duration.ofNanos(System.nanoTime() - item.startNanos));
            resolve(item);
            return;
        }
        Throwable cause = unwrap(error);
        if (!(cause instanceof RetryableDeliveryException retryable)) {
            deadLetter(item, cause, item.attempts);
            return;
        }
        service.health().failed(retryable.getMessage());
        service.metrics().retried();
        long acknowledgements = service.health().acknowledgements();
        if (acknowledgements > item.acknowledgementsSeen) {
            item.refusedWhileUp++;
        }
        item.acknowledgementsSeen = acknowledgements;
        if (service.retryPolicy().exhausted(item.refusedWhileUp)) {
            deadLetter(item, new PermanentDeliveryException(PermanentDeliveryException.SINK_POISON, "refused on each of its "
                    + item.attempts + " attempts, " + item.refusedWhileUp + " of them while the sink acknowledged other records; last: "
                    + retryable.getMessage(),
                    retryable.sinkStatus(), retryable), item.attempts);
            return;
        }
        item.moveTo(Phase.BACKING_OFF);
        Duration wait = service.retryPolicy().backoff(item.attempts, retryable.retryAfter());
        logRetry(item, wait, retryable);
        CompletableFuture.anyOf(service.delay(wait), service.health().nextRecovery(), closing)
                .thenCompose(ignored -> CompletableFuture.anyOf(service.health().whenUp(), closing))
                .thenRunAsync(() -> awaitTurn(item), service.executor());
    }

    private void deadLetter(Item item, Throwable failure, int attempts) {
        if (state != State.OPEN) {
            abandon(item);
            return;
        }
        item.moveTo(Phase.DEAD_LETTERING);
        begin();
        service.deadLetters().publish(item.source, failure, attempts, () -> state != State.OPEN)
                .whenCompleteAsync((written, error) -> {
                    try {
                        if (Boolean.TRUE.equals(written)) {
                            resolve(item);
                        } else {
                            abandon(item);
                        }
                    } finally {
                        end();
                    }
                }, service.executor());
    }

    private void resolve(Item item) {
        if (item.finish(Phase.RESOLVED)) {
            tracker.resolved(item.source.offset());
            released(item);
        }
    }

    /** The task closed before the record resolved: it stays uncommitted, for the partition's next owner. */
    private void abandon(Item item) {
        if (item.finish(Phase.ABANDONED)) {
            LOG.debug("Not delivering {}: partition {} is {}", item.source.describe(), name, state);
            released(item);
        }
    }

    private void released(Item item) {
        service.metrics().inFlight().decrementAndGet();
        service.budget().release(item.source.valueBytes());
    }

    private void begin() {
        synchronized (activeLock) {
            active++;
        }
    }

    private void end() {
        synchronized (activeLock) {
            if (--active == 0) {
                activeLock.notifyAll();
            }
        }
    }

    /**
     * The first half of {@link #close()}: nothing new starts from now on, and a failure of a call in
     * progress abandons its record instead of dead-lettering it. For a sink that must release its own
     * queued work before the task waits for it (otel's batch inserter).
     */
    public void stopStarting() {
        if (state == State.OPEN) {
            state = State.CLOSING;
            closing.complete(null);
            waitingTurns.forEach(this::cancelWaiting);
        }
    }

    /**
     * Stops the task: nothing new starts, waiting records are abandoned, and the calls and dead letters
     * already started get up to the close timeout to finish. Called on the stream thread when the
     * partition is revoked or the consumer shuts down, before Streams' last commit of the partition.
     */
    @Override
    public void close() {
        if (state == State.CLOSED) {
            return;
        }
        stopStarting();
        long deadline = System.nanoTime() + service.closeTimeout().toNanos();
        int stillActive;
        synchronized (activeLock) {
            try {
                while (active > 0 && deadline - System.nanoTime() > 0) {
                    TimeUnit.NANOSECONDS.timedWait(activeLock, deadline - System.nanoTime());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stillActive = active;
        }
        state = State.CLOSED;
        tracker.close();
        service.budget().resize(-slots);
        if (stillActive > 0 || tracker.unresolvedCount() > 0) {
            LOG.info("Closed {} with {} records unresolved ({} calls still unanswered); they stay uncommitted for the "
                    + "partition's next owner", name, tracker.unresolvedCount(), stillActive);
        }
    }

    private void logRetry(Item item, Duration wait, RetryableDeliveryException failure) {
        long now = System.nanoTime();
        long last = lastWarning.get();
        if (now - last >= WARN_INTERVAL_NANOS && lastWarning.compareAndSet(last, now)) {
            LOG.warn("Delivery of {} failed (attempt {}), retrying in {} ms: {}", item.label(), item.attempts, wait.toMillis(),
                    failure.getMessage());
        } else if (LOG.isDebugEnabled()) {
            LOG.debug("Delivery of {} failed (attempt {}), retrying in {} ms: {}", item.label(), item.attempts, wait.toMillis(),
                    failure.getMessage());
        }
    }

    private final class Item {
        final SourceRecord source;
        final String key;
        final T item;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        final AtomicReference<Phase> phase = new AtomicReference<>(Phase.PREPARING);
        int attempts;
        int refusedWhileUp;
        long acknowledgementsSeen;
        long startNanos;

        Item(SourceRecord source, String key, T item) {
            this.source = source;
            this.key = key;
            this.item = item;
            unfinished.add(this);
        }

        /** Moves on, unless the record is already resolved or abandoned (a late step of a closed task). */
        void moveTo(Phase next) {
            phase.getAndUpdate(now -> now.isFinal() ? now : next);
        }

        /** True the first time only: a record resolves or is abandoned once. */
        boolean finish(Phase last) {
            Phase before = phase.getAndUpdate(now -> now.isFinal() ? now : last);
            if (before.isFinal()) {
                return false;
            }
            unfinished.remove(this);
            done.complete(null);
            return true;
        }

        String label() {
            return source.describe() + " " + Optional.ofNullable(item).map(Object::toString).orElse("");
        }
    }
}
