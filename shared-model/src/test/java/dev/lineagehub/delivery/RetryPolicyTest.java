package dev.lineagehub.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(Duration.ofMillis(100), Duration.ofSeconds(5), 0);

    @RepeatedTest(20)
    void backoffDoublesWithHalfJitterAndIsCapped() {
        assertThat(policy.backoff(1, Optional.empty()).toMillis()).isBetween(50L, 100L);
        assertThat(policy.backoff(2, Optional.empty()).toMillis()).isBetween(100L, 200L);
        assertThat(policy.backoff(4, Optional.empty()).toMillis()).isBetween(400L, 800L);
        assertThat(policy.backoff(40, Optional.empty()).toMillis()).isBetween(2500L, 5000L);
    }

    @Test
    void retryAfterReplacesTheBackoffUpToTheCap() {
        assertThat(policy.backoff(1, Optional.of(Duration.ofSeconds(2)))).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.backoff(1, Optional.of(Duration.ofMinutes(10)))).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void zeroMaxAttemptsRetriesForever() {
        assertThat(policy.exhausted(1_000_000)).isFalse();
        RetryPolicy three = new RetryPolicy(Duration.ofMillis(1), Duration.ofMillis(1), 3);
        assertThat(three.exhausted(2)).isFalse();
        assertThat(three.exhausted(3)).isTrue();
    }
}
