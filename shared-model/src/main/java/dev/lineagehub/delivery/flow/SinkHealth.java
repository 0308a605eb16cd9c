package dev.lineagehub.delivery.flow;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * One view per consumer of whether its sink is up. {@value #FAILURES_TO_DOWN} retryable failures in a
 * row, with no acknowledgement between them, mark it DOWN: records then stop calling it and wait for
 * {@link #whenUp()}, and a single probe asks the sink at growing intervals of at most
 * {@link #MAX_PROBE_INTERVAL} until it answers, so deliveries are back at full speed within a second
 * or two of the sink's return, however long it was away.
 *
 * <p>{@link #acknowledgements()} also lets a record tell "the sink refuses everything" (wait) from
 * "the sink refuses me while it takes others" (a poison record: dead-letter it after a few tries).
 */
public final class SinkHealth {

    public enum State { UP, DOWN }

    static final int FAILURES_TO_DOWN = 3;
    static final Duration MAX_PROBE_INTERVAL = Duration.ofSeconds(1);
    /** A probe the sink leaves unanswered this long failed: a hung probe must not keep the sink DOWN. */
    public static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(SinkHealth.class);

    private final String sinkName;
    private final Supplier<CompletionStage<Void>> probe;
    private final ScheduledExecutorService timer;
    private final Duration firstProbe;
    private final Duration probeTimeout;
    private final LongSupplier nanoClock;
    private final List<Consumer<State>> listeners = new CopyOnWriteArrayList<>();
    /** Held while listeners are told: one notification at a time, each with the state current then. */
    private final Object notifying = new Object();
    private State state = State.UP;
    private int failuresInARow;
    private long acknowledgements;
    private CompletableFuture<Void> nextUp = new CompletableFuture<>();
    private long downSinceNanos;
    private String lastFailure;
    /** A probe chain runs (scheduled, or waiting for its answer): never two at once. */
    private boolean probing;

    /**
     * @param probe      asks the sink whether it is up (completes normally if so)
     * @param firstProbe wait before the first probe after the sink went down; doubles up to one second
     */
    public SinkHealth(String sinkName, Supplier<CompletionStage<Void>> probe, ScheduledExecutorService timer, Duration firstProbe) {
        this(sinkName, probe, timer, firstProbe, PROBE_TIMEOUT, System::nanoTime);
    }

    SinkHealth(String sinkName, Supplier<CompletionStage<Void>> probe, ScheduledExecutorService timer, Duration firstProbe,
               Duration probeTimeout, LongSupplier nanoClock) {
        this.sinkName = sinkName;
        this.nanoClock = nanoClock;
        this.probe = probe;
        this.timer = timer;
        this.firstProbe = firstProbe.compareTo(MAX_PROBE_INTERVAL) > 0 ? MAX_PROBE_INTERVAL : firstProbe;
        this.probeTimeout = probeTimeout;
    }

    /**
     * Called after every change, on the thread that saw it, with the state current when the call is
     * made: notifications never overlap, so the last one always carries the state the sink is in.
     */
    public void onChange(Consumer<State> listener) {
        listeners.add(listener);
    }

    public String name() {
        return sinkName;
    }

    public synchronized State state() {
        return state;
    }

    /** The last failure the sink's calls reported, or null if none did. */
    public synchronized String lastFailure() {
        return lastFailure;
    }

    /** Calls and probes the sink acknowledged so far. */
    public synchronized long acknowledgements() {
        return acknowledgements;
    }

    /** Completes at once while the sink is up, else when it is back. */
    public synchronized CompletableFuture<Void> whenUp() {
        return state == State.UP ? CompletableFuture.completedFuture(null) : nextUp;
    }

    /** Completes when the sink next comes back after being down, e.g. to cut a record's own backoff short. */
    public synchronized CompletableFuture<Void> nextRecovery() {
        return nextUp;
    }

    /** The sink acknowledged a call. */
    public void succeeded() {
        CompletableFuture<Void> recovered;
        synchronized (this) {
            acknowledgements++;
            failuresInARow = 0;
            if (state == State.UP) {
                return;
            }
            state = State.UP;
            recovered = nextUp;
            nextUp = new CompletableFuture<>();
            LOG.info("{} is up again after {} s", sinkName, TimeUnit.NANOSECONDS.toSeconds(nanoClock.getAsLong() - downSinceNanos));
        }
        notifyListeners();
        recovered.complete(null);
    }

    /** A call failed in a way that may mean the sink is unwell (not a refusal of the record itself). */
    public void failed(String why) {
        boolean startProbing;
        synchronized (this) {
            lastFailure = why;
            if (state == State.DOWN || ++failuresInARow < FAILURES_TO_DOWN) {
                return;
            }
            state = State.DOWN;
            downSinceNanos = nanoClock.getAsLong();
            startProbing = !probing;
            probing = true;
            LOG.warn("{} looks down ({} failures in a row, last: {}); deliveries wait, one probe asks it at most every {} ms",
                    sinkName, failuresInARow, why, MAX_PROBE_INTERVAL.toMillis());
        }
        notifyListeners();
        if (startProbing) {
            scheduleProbe(firstProbe);
        }
    }

    private void notifyListeners() {
        synchronized (notifying) {
            State now = state();
            listeners.forEach(listener -> listener.accept(now));
        }
    }

    /** The probe chain ends once the sink is up; false (and the chain ends) then. */
    private synchronized boolean stillDown() {
        probing = state == State.DOWN;
        return probing;
    }

    private void scheduleProbe(Duration wait) {
        try {
            timer.schedule(() -> runProbe(wait), wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            // The consumer is closing: nothing waits for the sink any more.
        }
    }

    private void runProbe(Duration lastWait) {
        if (!stillDown()) {
            return;
        }
        CompletableFuture<Void> answer;
        try {
            // A copy: the timeout must not complete a future the sink's client still owns.
            answer = probe.get().toCompletableFuture().copy();
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.orTimeout(probeTimeout.toMillis(), TimeUnit.MILLISECONDS).whenCompleteAsync((ignored, error) -> {
            if (error == null) {
                succeeded();
                // Down again already (calls failed while this probe was in flight): this chain goes on.
                if (stillDown()) {
                    scheduleProbe(firstProbe);
                }
            } else {
                LOG.debug("Probe of {} failed: {}", sinkName, error.toString());
                Duration doubled = lastWait.multipliedBy(2);
                scheduleProbe(doubled.compareTo(MAX_PROBE_INTERVAL) > 0 ? MAX_PROBE_INTERVAL : doubled);
            }
        }, timer);
    }
}
