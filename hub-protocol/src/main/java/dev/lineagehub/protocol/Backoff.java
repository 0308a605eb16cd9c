package dev.lineagehub.protocol;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The wait before the next attempt, for the consumers and the SDK alike: the server's {@code Retry-After} when it
 * sent one (capped), else exponential backoff, d = initial * 2^(attempts - 1) capped, with half jitter, uniform in
 * [d/2, d]. The floor keeps a down server from being hammered; the jitter spreads the retries of many partitions or
 * workers that failed together.
 */
public final class Backoff {

    private Backoff() {
    }

    /** @param attemptsMade failed attempts so far (1 after the first failure) */
    public static Duration next(int attemptsMade, Duration initial, Duration max, Optional<Duration> retryAfter) {
        if (retryAfter.isPresent()) {
            return retryAfter.get().compareTo(max) > 0 ? max : retryAfter.get();
        }
        int shift = Math.min(Math.max(attemptsMade - 1, 0), 30);
        long exponential = Math.min(max.toMillis(), initial.toMillis() << shift);
        long half = exponential / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(exponential - half + 1));
    }
}
