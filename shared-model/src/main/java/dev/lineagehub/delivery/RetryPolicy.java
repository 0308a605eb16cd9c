package dev.lineagehub.delivery;

import dev.lineagehub.protocol.Backoff;

import java.time.Duration;
import java.util.Optional;

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

    /** The wait after {@code attemptsMade} failed attempts ({@link Backoff}: Retry-After, else half-jittered exponential). */
    public Duration backoff(int attemptsMade, Optional<Duration> retryAfter) {
        return Backoff.next(attemptsMade, initialBackoff, maxBackoff, retryAfter);
    }
}
