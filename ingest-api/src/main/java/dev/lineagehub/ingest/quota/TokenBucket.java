package dev.lineagehub.ingest.quota;

import java.util.function.LongSupplier;

/**
 * A token bucket: {@code rate} tokens a second, at most {@code burst} saved up. Taking tokens never
 * waits: it says yes, or how long until there would be enough. More than a burst can never be there,
 * so asking for more is the caller's error, not a wait.
 */
final class TokenBucket {

    /** A billionth of a token: far below one event, far above the refill's rounding errors. */
    private static final double ROUNDING = 1e-9;

    private final double ratePerNano;
    private final int burst;
    private final LongSupplier nanoTime;
    private double tokens;
    private long refilledAt;

    TokenBucket(double ratePerSecond, int burst, LongSupplier nanoTime) {
        if (!(ratePerSecond > 0) || burst < 1) {
            throw new IllegalArgumentException("a token bucket needs a rate above 0 and a burst of at least 1");
        }
        this.ratePerNano = ratePerSecond / 1e9;
        this.burst = burst;
        this.nanoTime = nanoTime;
        this.tokens = burst;
        this.refilledAt = nanoTime.getAsLong();
    }

    int burst() {
        return burst;
    }

    /**
     * Takes {@code count} tokens and returns 0, or takes none and returns the nanoseconds until they
     * would be there (at least 1).
     *
     * @throws IllegalArgumentException when {@code count} is above the burst: it would never fit
     */
    synchronized long take(int count) {
        if (count > burst) {
            throw new IllegalArgumentException(count + " tokens can never be taken from a bucket of " + burst);
        }
        long now = nanoTime.getAsLong();
        tokens = Math.min(burst, tokens + (now - refilledAt) * ratePerNano);
        refilledAt = now;
        // The refill is in doubles: waiting exactly the wait answered may leave it a rounding error short of count.
        if (tokens >= count - ROUNDING) {
            tokens = Math.max(0, tokens - count);
            return 0;
        }
        return Math.max(1, (long) Math.ceil((count - tokens) / ratePerNano));
    }
}
