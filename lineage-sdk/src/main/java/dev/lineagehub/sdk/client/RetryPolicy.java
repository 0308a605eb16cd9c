package dev.lineagehub.sdk.client;

import dev.lineagehub.protocol.Backoff;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * When to try a failed call again: the wait the consumers use too ({@link Backoff}: the server's
 * {@code Retry-After} when it gives one, else exponential backoff with half jitter, so many workers
 * failing together do not come back together), and a bound in attempts and in time after which the
 * call is given up.
 */
public record RetryPolicy(int maxAttempts, Duration initialDelay, Duration maxDelay, Duration giveUpAfter) {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
        if (initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0 || giveUpAfter.isNegative()) {
            throw new IllegalArgumentException("need 0 <= initialDelay <= maxDelay and giveUpAfter >= 0");
        }
    }

    /** Five attempts, 200 ms doubling to 5 s, within 30 s. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(5, Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofSeconds(30));
    }

    /** One attempt: failures go straight to the caller. */
    public static RetryPolicy none() {
        return new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ZERO);
    }

    /**
     * How long to wait before the next attempt, or empty to give up: the failure is not retryable,
     * the attempts are spent, or waiting would pass {@link #giveUpAfter()}.
     *
     * @param failedAttempts attempts made so far (1 after the first failure)
     * @param elapsed        time since the first attempt started
     */
    public Optional<Duration> nextDelay(int failedAttempts, Duration elapsed, HubException failure) {
        if (!failure.retryable() || failedAttempts >= maxAttempts) {
            return Optional.empty();
        }
        Duration delay = Backoff.next(failedAttempts, initialDelay, maxDelay, failure.retryAfter());
        return elapsed.plus(delay).compareTo(giveUpAfter) > 0 ? Optional.empty() : Optional.of(delay);
    }

    /**
     * Makes {@code attempt} until it succeeds or this policy gives up, sleeping between attempts; a
     * failure {@code mayResend} refuses ends it at once.
     *
     * @throws HubException the last failure; when the thread is interrupted while waiting, that failure
     *                      with the thread's interrupt flag set
     */
    public <T> T call(Supplier<T> attempt, Predicate<HubException> mayResend) {
        long start = System.nanoTime();
        for (int attempts = 1; ; attempts++) {
            try {
                return attempt.get();
            } catch (HubException failure) {
                Optional<Duration> delay = mayResend.test(failure)
                        ? nextDelay(attempts, Duration.ofNanos(System.nanoTime() - start), failure) : Optional.empty();
                if (delay.isEmpty()) {
                    throw failure;
                }
                try {
                    Thread.sleep(delay.get().toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw failure;
                }
            }
        }
    }
}
