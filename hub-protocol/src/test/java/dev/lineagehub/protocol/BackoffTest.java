package dev.lineagehub.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.time.Duration;
import java.util.Optional;

class BackoffTest {

    @Property(tries = 1000)
    void theWaitIsHalfJitteredExponentialCappedOrWhatTheServerAskedCapped(@ForAll @IntRange(min = 0, max = 100) int attempts,
            @ForAll @LongRange(min = 0, max = 10_000) long initialMs, @ForAll @LongRange(min = 0, max = 600_000) long extraMs,
            @ForAll @LongRange(min = 0, max = 1_000_000) long askedMs) {
        Duration initial = Duration.ofMillis(initialMs);
        Duration max = Duration.ofMillis(initialMs + extraMs);
        long exponential = Math.min(max.toMillis(), initialMs << Math.min(Math.max(attempts - 1, 0), 30));
        assertThat(Backoff.next(attempts, initial, max, Optional.empty()).toMillis()).isBetween(exponential / 2, exponential);
        assertThat(Backoff.next(attempts, initial, max, Optional.of(Duration.ofMillis(askedMs))))
                .isEqualTo(Duration.ofMillis(Math.min(askedMs, max.toMillis())));
    }
}
