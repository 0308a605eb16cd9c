package dev.lineagehub.delivery.flow;

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
 *       least one unloaded latency after, for sinks whose queue takes that long to adjust), of as many
 *       calls as the limit (at least {@value #MIN_WINDOW}; twice the limit, at least
 *       {@value #SLOW_START_WINDOW}, while it still grows by half) and lasting at least
 *       {@link #MIN_WINDOW_SPAN}, compares its latency with the unloaded one. Above {@link #TOLERANCE}
 *       times it (and more than {@link #NOISE_FLOOR} above it), calls are queueing at the sink: the limit
 *       shrinks by the ratio of that line to the window's latency, which for a queueing sink is where its
 *       calls stop waiting. Otherwise, if the window used the whole limit, it grows: by half until the
 *       first sign of queueing (so it overshoots the sink's capacity by half at most), then by the
 *       headroom left below the line (at most half, at least one).</li>
 *   <li><b>A shrink is checked</b> by the next window: a queueing sink answers as many calls a second
 *       with fewer in flight (their latency falls in proportion), a sink whose latency came from
 *       elsewhere (a CPU it shares with its clients, a slow phase) answers fewer. Then the shrink is
 *       undone and that latency accepted, without growing further, until the next probe.</li>
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
    /**
     * And a window lasts at least this long (CoDel's interval), so that a stall of the client's or the sink's
     * process (a GC pause, a blocked event loop) that delays every call in flight for a moment falls in a
     * fraction of a window: against a fast sink {@link #MIN_WINDOW} calls take a few milliseconds, less than
     * one pause, which then made a whole window late and halved the limit.
     */
    static final Duration MIN_WINDOW_SPAN = Duration.ofMillis(100);
    /** Smaller windows while the limit still grows by half: a wrong step is undone by the next window. */
    static final int SLOW_START_WINDOW = 4;
    /** A shrink to at most this share of the limit is checked against the rate it leaves (see adjust). */
    static final double SHRINK_CHECKED = 0.8;
    private static final long OVERLOAD_SPACING_NANOS = Duration.ofSeconds(1).toNanos();

    private final LongSupplier nanoClock;
    private int maximum;
    private double limit;
    private boolean slowStart = true;
    private long unloadedNanos;
    private long[] window = new long[MIN_WINDOW];
    private int windowSize;
    private long windowStartNanos;
    private int windowMaxInFlight;
    private long nextProbeNanos;
    private int probeLimit;
    private long lastOverloadNanos;
    private double beforeOverload;
    private boolean overloadedSinceAnswer;
    private long changedNanos;
    /** After a shrink for latency, until the next window: the limit before it and its latency; 0 otherwise. */
    private int shrunkFrom;
    private long latencyAtShrink;
    /**
     * A latency that a shrink showed to be the host's, not the sink's queue, and the limit it was seen at, held
     * until the next probe; 0 if none.
     */
    private long hostLatencyNanos;
    private int heldLimit;

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
        long now = nanoClock.getAsLong();
        long settle = slowStart ? 0 : unloadedNanos;
        if (now - latencyNanos - changedNanos < settle) {
            // Started before the limit last changed, or, once past the first growth, while a sink that queues
            // calls was still adjusting to the change (one unloaded latency): it measured the old limit.
            return;
        }
        if (windowSize == 0) {
            windowStartNanos = now - latencyNanos;
        } else if (windowSize == window.length) {
            window = Arrays.copyOf(window, window.length * 2);
        }
        window[windowSize++] = Math.max(1, latencyNanos);
        windowMaxInFlight = Math.max(windowMaxInFlight, inFlightAtStart);
        if (windowSize >= windowTarget() && now - windowStartNanos >= MIN_WINDOW_SPAN.toNanos()) {
            long latency = lowerQuartile();
            // One call at a time cannot queue behind this instance's own calls: that is the unloaded latency.
            if (probeLimit > 0 || windowMaxInFlight <= 1) {
                unloadedNanos = latency;
            }
            int before = current();
            if (probeLimit > 0) {
                probeLimit = 0;
                hostLatencyNanos = 0;
                heldLimit = 0;
                nextProbeNanos = now + PROBE_INTERVAL.toNanos();
            } else {
                adjust(latency, now);
            }
            windowSize = 0;
            windowMaxInFlight = 0;
            if (current() != before) {
                changedNanos = now;
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
        shrunkFrom = 0;
        hostLatencyNanos = 0;
        heldLimit = 0;
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

    private void adjust(long latency, long now) {
        int calls = (int) Math.min(limit, maximum);
        // The calls the sink completes per unit of time, by Little's law.
        double rate = (double) calls / latency;
        int before = shrunkFrom;
        shrunkFrom = 0;
        if (before > 0 && rate < (double) before / latencyAtShrink * (1 - (1 - (double) calls / before) / 2)) {
            // Fewer calls got proportionally fewer answers: the sink had room for them, so the latency that shrank
            // the limit was this host's (a CPU the sink shares with its clients), not a queue. A queueing sink
            // answers as many calls a second at the smaller limit (BBR's bottleneck rate), so the shrink stays.
            // Held there, not grown past, until the next probe: a noisy window must not ratchet the line up.
            hostLatencyNanos = Math.max(hostLatencyNanos, latencyAtShrink);
            heldLimit = Math.max(heldLimit, before);
            limit = before;
        } else {
            long queueing = queueingLine();
            if (latency > queueing) {
                // A queueing sink's latency grows in proportion to the calls in flight (Little's law): scaled by
                // queueing / latency, the limit lands where calls stop queueing, in one step, halving at most. A
                // latency just above the line moves the limit by as little.
                limit = Math.max(1, calls * Math.max(0.5, (double) queueing / latency));
                slowStart = false;
                // Only a large step is checked: a small one's rate change is within a window's noise.
                shrunkFrom = limit <= SHRINK_CHECKED * calls ? calls : 0;
                latencyAtShrink = latency;
            } else if (windowMaxInFlight >= calls) {
                // Towards the line as a gradient: fast while far below it, by one once close.
                double headroom = slowStart ? 0.5 : Math.min(0.5, (double) queueing / latency - 1);
                int ceiling = heldLimit > 0 ? Math.min(heldLimit, maximum) : maximum;
                limit = Math.max(limit, Math.min(ceiling, limit + Math.max(1, Math.floor(limit * headroom))));
            }
        }
        if (now - nextProbeNanos >= 0) {
            probeLimit = Math.max(1, (int) Math.min(limit, maximum) / 2);
        }
    }

    /** Above this latency calls are queueing at the sink. */
    private long queueingLine() {
        long line = Math.max((long) (TOLERANCE * unloadedNanos), unloadedNanos + NOISE_FLOOR.toNanos());
        return Math.max(line, (long) (TOLERANCE * hostLatencyNanos));
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
