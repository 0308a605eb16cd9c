package dev.lineagehub.delivery;

import java.time.Duration;
import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * How many sink calls an instance may have in flight, found from the sink's latency rather than told:
 * a busy sink answers later, and calls beyond what it can work on only wait in its queue, where they
 * time out and are sent again. The limit stays between 1 and a maximum ({@code MAX_IN_FLIGHT} per
 * assigned partition).
 *
 * <ul>
 *   <li><b>A window's latency</b> is its lower quartile. A queue at the sink delays every call in it;
 *       what else adds latency (a big event, a GC pause or a busy CPU on this instance's host, a sink
 *       sharing that host) delays some calls and not others. So the faster quarter of a window is late
 *       only when calls stand in a queue (CoDel's insight: a standing queue raises the lowest delays),
 *       and a busy client is not taken for a busy sink.</li>
 *   <li><b>Unloaded latency</b> is that latency for a window of calls made at low concurrency: the
 *       first window, and any window, made one call at a time; then every {@link #PROBE_INTERVAL} a
 *       window at half the limit, so that the queue this instance builds drains and a sink that became
 *       slower or faster is measured again.</li>
 *   <li><b>Each window</b> of calls started after the limit last changed (once past the first growth, at
 *       least one unloaded latency after, for sinks whose queue takes that long to adjust) (as many as the limit, at least {@value #MIN_WINDOW}, or
 *       twice the limit, at least {@value #SLOW_START_WINDOW}, while it still grows by half) compares its
 *       latency with the unloaded one. Above {@link #TOLERANCE} times it (and more than
 *       {@link #NOISE_FLOOR} above it), calls are queueing at the sink: the limit shrinks by the ratio of
 *       that line to the window's latency, which for a queueing sink is where its calls stop waiting.
 *       Otherwise, if the window used the whole limit, it grows: by half until the first sign of
 *       queueing (so it overshoots the sink's capacity by half at most), then by one.</li>
 *   <li><b>Overload</b> (a timeout, 408, 429, 503, 504 while the sink is up) halves the limit, at most
 *       once a second: a burst of timeouts is one signal. If the sink then turns out to be down and
 *       comes back without having answered meanwhile, the limit is restored ({@link #recovered()}).</li>
 * </ul>
 *
 * Thread-safe; the clock is a parameter so that tests control time.
 */
public final class ConcurrencyLimit {

    /** A window whose latency is at most this multiple of the unloaded latency saw no queueing. */
    static final double TOLERANCE = 1.3;
    /**
     * Nor did a window whose latency is less than this above the unloaded latency, whatever the ratio: a
     * few milliseconds are what the client's own host adds when busy (GC pauses, an event loop with
     * other work, the scheduler's time slices), not a queue at the sink. Without it a 5 ms sink's limit
     * follows the client's CPU load instead of the sink's.
     */
    static final Duration NOISE_FLOOR = Duration.ofMillis(5);
    static final Duration PROBE_INTERVAL = Duration.ofSeconds(30);
    static final int MIN_WINDOW = 16;
    /** Smaller windows while the limit still grows by half: a wrong step is undone by the next window. */
    static final int SLOW_START_WINDOW = 4;
    private static final long OVERLOAD_SPACING_NANOS = Duration.ofSeconds(1).toNanos();

    private final LongSupplier nanoClock;
    private int maximum;
    private double limit;
    private boolean slowStart = true;
    private long unloadedNanos;
    private long[] window = new long[MIN_WINDOW];
    private int windowSize;
    private int windowMaxInFlight;
    private long nextProbeNanos;
    private int probeLimit;
    private long lastOverloadNanos;
    private double beforeOverload;
    private boolean overloadedSinceAnswer;
    private long changedNanos;

    /** Starts measuring at one call at a time, the first window being the first unloaded latency. */
    public ConcurrencyLimit(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.limit = 1;
        this.maximum = 1;
        this.probeLimit = 1;
        this.lastOverloadNanos = nanoClock.getAsLong() - OVERLOAD_SPACING_NANOS;
        this.changedNanos = nanoClock.getAsLong() - Duration.ofDays(1).toNanos();
    }

    /** The calls that may be in flight now. */
    public synchronized int current() {
        return probeLimit > 0 ? probeLimit : (int) Math.min(limit, maximum);
    }

    /** The most calls allowed, as partitions are assigned and revoked. */
    public synchronized void maximum(int maximum) {
        this.maximum = Math.max(1, maximum);
    }

    /** The sink's latency at low concurrency, as last measured; zero before the first window. */
    public synchronized Duration unloadedLatency() {
        return Duration.ofNanos(unloadedNanos);
    }

    /**
     * The sink answered a call (accepted or refused the record: either way it did the work).
     *
     * @param inFlightAtStart calls in flight when this one started, itself included
     */
    public synchronized void answered(long latencyNanos, int inFlightAtStart) {
        overloadedSinceAnswer = false;
        long settle = slowStart ? 0 : unloadedNanos;
        if (nanoClock.getAsLong() - latencyNanos - changedNanos < settle) {
            // Started before the limit last changed, or, once past the first growth, while a sink that queues
            // calls was still adjusting to the change (one unloaded latency): it measured the old limit.
            return;
        }
        if (windowSize == window.length) {
            window = Arrays.copyOf(window, window.length * 2);
        }
        window[windowSize++] = Math.max(1, latencyNanos);
        windowMaxInFlight = Math.max(windowMaxInFlight, inFlightAtStart);
        if (windowSize >= windowTarget()) {
            long latency = lowerQuartile();
            // One call at a time cannot queue behind this instance's own calls: that is the unloaded latency.
            if (probeLimit > 0 || windowMaxInFlight <= 1) {
                unloadedNanos = latency;
            }
            int before = current();
            if (probeLimit > 0) {
                probeLimit = 0;
                nextProbeNanos = nanoClock.getAsLong() + PROBE_INTERVAL.toNanos();
            } else {
                adjust(latency);
            }
            windowSize = 0;
            windowMaxInFlight = 0;
            if (current() != before) {
                changedNanos = nanoClock.getAsLong();
            }
        }
    }

    /** A call timed out or the sink said it is overloaded, while it is up. */
    public synchronized void overloaded() {
        long now = nanoClock.getAsLong();
        if (now - lastOverloadNanos < OVERLOAD_SPACING_NANOS) {
            return;
        }
        lastOverloadNanos = now;
        if (!overloadedSinceAnswer) {
            overloadedSinceAnswer = true;
            beforeOverload = limit;
        }
        limit = Math.max(1, Math.min(limit, maximum) / 2);
        slowStart = false;
        windowSize = 0;
        windowMaxInFlight = 0;
        changedNanos = now;
    }

    /**
     * The sink was down and answers again. If it said "overloaded" (503s, timeouts) on its way down
     * and answered nothing since, that was the outage, not load: the limit is what it was before.
     */
    public synchronized void recovered() {
        if (overloadedSinceAnswer) {
            limit = beforeOverload;
            overloadedSinceAnswer = false;
            changedNanos = nanoClock.getAsLong();
        }
    }

    private void adjust(long latency) {
        long queueing = Math.max((long) (TOLERANCE * unloadedNanos), unloadedNanos + NOISE_FLOOR.toNanos());
        if (latency > queueing) {
            // A queueing sink's latency grows in proportion to the calls in flight (Little's law): scaled by
            // queueing / latency, the limit lands where calls stop queueing, in one step, halving at most. A
            // latency just above the line moves the limit by as little.
            limit = Math.max(1, Math.min(limit, maximum) * Math.max(0.5, (double) queueing / latency));
            slowStart = false;
        } else if (windowMaxInFlight >= (int) Math.min(limit, maximum)) {
            limit = Math.min(maximum, slowStart ? limit + Math.max(1, Math.floor(limit / 2)) : limit + 1);
        }
        if (nanoClock.getAsLong() - nextProbeNanos >= 0) {
            probeLimit = Math.max(1, (int) Math.min(limit, maximum) / 2);
        }
    }

    private int windowTarget() {
        if (probeLimit > 0) {
            // The first measurement, at one call, is short: a slow sink would otherwise start slowly for long.
            return Math.max(slowStart ? SLOW_START_WINDOW : MIN_WINDOW, probeLimit);
        }
        int calls = (int) Math.min(limit, maximum);
        // Twice the limit while growing fast: the sink's queue takes about one round of calls to build up.
        return slowStart ? Math.max(SLOW_START_WINDOW, 2 * calls) : Math.max(MIN_WINDOW, calls);
    }

    private long lowerQuartile() {
        long[] sorted = Arrays.copyOf(window, windowSize);
        Arrays.sort(sorted);
        return sorted[windowSize / 4];
    }
}
