package dev.lineagehub.delivery;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter between attempts to deliver one record.
 *
 * @param initialBackoff wait before the second attempt (before jitter)
 * @param maxBackoff     cap of the exponential wait and of a server's {@code Retry-After}
 * @param maxAttempts    attempts before the record is dead-lettered; 0 keeps trying until it is
 *                       delivered, which is what "nothing is lost while the sink is down" needs
 */
public record RetryPolicy(Duration initialBackoff, Duration maxBackoff, int maxAttempts) {

    public RetryPolicy {
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0 || maxAttempts < 0) {
            throw new IllegalArgumentException("invalid retry policy " + initialBackoff + "/" + maxBackoff + "/" + maxAttempts);
        }
    }

    public boolean exhausted(int attemptsMade) {
        return maxAttempts > 0 && attemptsMade >= maxAttempts;
    }

    /**
     * The wait after {@code attemptsMade} failed attempts: the server's {@code Retry-After} when it
     * sent one, else a uniformly jittered value in [d/2, d] with d = initial * 2^(attempts-1), capped.
     * Half-jitter keeps a floor under the wait so a down sink is not hammered, while still spreading
     * the retries of many partitions apart.
     */
    public Duration backoff(int attemptsMade, Optional<Duration> retryAfter) {
        if (retryAfter.isPresent()) {
            return retryAfter.get().compareTo(maxBackoff) > 0 ? maxBackoff : retryAfter.get();
        }
        long capMillis = maxBackoff.toMillis();
        int shift = Math.min(Math.max(attemptsMade - 1, 0), 30);
        long exponential = Math.min(capMillis, initialBackoff.toMillis() << shift);
        long half = exponential / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(exponential - half + 1));
    }
}
