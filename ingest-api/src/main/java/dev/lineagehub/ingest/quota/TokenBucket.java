package dev.lineagehub.ingest.quota;

import java.util.function.LongSupplier;

/**
 * A token bucket: {@code rate} tokens a second, at most {@code burst} saved up. Taking tokens never
 * waits: it says yes, or how long until there would be enough.
 */
final class TokenBucket {

    private final double ratePerNano;
    private final double burst;
    private final LongSupplier nanoTime;
    private double tokens;
    private long refilledAt;

    TokenBucket(double ratePerSecond, int burst, LongSupplier nanoTime) {
        this.ratePerNano = ratePerSecond / 1e9;
        this.burst = burst;
        this.nanoTime = nanoTime;
        this.tokens = burst;
        this.refilledAt = nanoTime.getAsLong();
    }

    /** Takes {@code count} tokens and returns 0, or takes none and returns the nanoseconds until they would be there. */
    synchronized long take(int count) {
        long now = nanoTime.getAsLong();
        tokens = Math.min(burst, tokens + (now - refilledAt) * ratePerNano);
        refilledAt = now;
        if (tokens >= count) {
            tokens -= count;
            return 0;
        }
        // More than a whole burst can never be taken at once: wait for a full bucket, the request is then still too big.
        return (long) Math.ceil((Math.min(count, burst) - tokens) / ratePerNano);
    }
}
