package dev.lineagehub.ingest.quota;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lineagehub.ingest.config.IngestSettings;
import dev.lineagehub.ingest.namespaces.Namespace;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

class TokenBucketTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @Test
    void aBurstIsTakenAtOnceThenTheRateRefillsIt() {
        TokenBucket bucket = new TokenBucket(10, 5, now::get);
        assertThat(bucket.take(5)).isZero();
        long wait = bucket.take(1);
        assertThat(Duration.ofNanos(wait)).isEqualTo(Duration.ofMillis(100));
        now.addAndGet(Duration.ofMillis(100).toNanos());
        assertThat(bucket.take(1)).isZero();
        now.addAndGet(Duration.ofSeconds(60).toNanos());
        // Saved up to the burst, no further.
        assertThat(bucket.take(5)).isZero();
        assertThat(bucket.take(1)).isPositive();
    }

    @Test
    void moreThanABurstWaitsForAFullBucketNotForever() {
        TokenBucket bucket = new TokenBucket(2, 4, now::get);
        assertThat(bucket.take(4)).isZero();
        assertThat(Duration.ofNanos(bucket.take(10))).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void eachKeyHasItsBucketAndANamespaceQuotaOverridesTheDefault() {
        Quotas quotas = new Quotas(new IngestSettings.Quota(1, 2), now::get);
        assertThat(quotas.take("a", null, 2)).isEmpty();
        assertThat(quotas.take("a", null, 1)).isPresent();
        assertThat(quotas.take("b", null, 2)).isEmpty();
        Namespace.Quota generous = new Namespace.Quota(1000.0, 100);
        assertThat(quotas.take("a", generous, 50)).as("a changed quota starts a fresh bucket").isEmpty();
        assertThat(quotas.take("a", generous, 50)).isEmpty();
        assertThat(quotas.take("a", new Namespace.Quota(null, 3), 3)).as("unset fields fall back to the defaults").isEmpty();
    }
}
