package dev.lineagehub.ingest.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    void theWaitItAnswersIsEnough() {
        TokenBucket bucket = new TokenBucket(3, 4, now::get);
        assertThat(bucket.take(4)).isZero();
        long wait = bucket.take(4);
        long early = Duration.ofMillis(1).toNanos();
        now.addAndGet(wait - early);
        assertThat(bucket.take(4)).as("a millisecond early").isPositive();
        now.addAndGet(early);
        assertThat(bucket.take(4)).isZero();
    }

    @Test
    void moreThanABurstIsNeverTakenNorFree() {
        TokenBucket bucket = new TokenBucket(1, 3, now::get);
        assertThatThrownBy(() -> bucket.take(10)).isInstanceOf(IllegalArgumentException.class);
        assertThat(bucket.take(3)).as("the refused take took nothing").isZero();
    }

    @Test
    void aBatchAboveTheBurstIsTooLargeEvenOnAFullBucketAndCostsNothing() {
        // The report: eventsPerSecond 1, burst 3, twenty batches of 10 were all admitted.
        Quotas quotas = new Quotas(new IngestSettings.Quota(1, 3, 1, 3), now::get);
        for (int i = 0; i < 20; i++) {
            assertThat(quotas.take("a", null, Quotas.Measure.EVENTS, 10))
                    .isEqualTo(new Admission.TooLarge(10, 3, Quotas.Measure.EVENTS));
        }
        assertThat(quotas.take("a", null, Quotas.Measure.EVENTS, 3)).isEqualTo(Admission.ADMITTED);
        assertThat(quotas.take("a", null, Quotas.Measure.EVENTS, 1)).isInstanceOf(Admission.Later.class);
        assertThat(((Admission.TooLarge) quotas.take("a", null, Quotas.Measure.EVENTS, 4)).message())
                .isEqualTo("a request of 4 OpenLineage events is above this key's burst of 3; send at most 3 per request");
    }

    @Test
    void eachKeyHasItsBucketsAndANamespaceQuotaOverridesTheDefault() {
        Quotas quotas = new Quotas(new IngestSettings.Quota(1, 2, 10, 20), now::get);
        assertThat(quotas.take("a", null, Quotas.Measure.EVENTS, 2)).isEqualTo(Admission.ADMITTED);
        assertThat(quotas.take("a", null, Quotas.Measure.EVENTS, 1)).isInstanceOf(Admission.Later.class);
        assertThat(quotas.take("a", null, Quotas.Measure.TELEMETRY, 20)).as("telemetry is metered apart").isEqualTo(Admission.ADMITTED);
        assertThat(quotas.take("b", null, Quotas.Measure.EVENTS, 2)).isEqualTo(Admission.ADMITTED);
        Namespace.Quota generous = new Namespace.Quota(1000.0, 100, null, 500);
        assertThat(quotas.take("a", generous, Quotas.Measure.EVENTS, 50)).as("a changed quota starts a fresh bucket")
                .isEqualTo(Admission.ADMITTED);
        assertThat(quotas.take("a", generous, Quotas.Measure.EVENTS, 50)).isEqualTo(Admission.ADMITTED);
        assertThat(quotas.take("a", generous, Quotas.Measure.TELEMETRY, 500)).isEqualTo(Admission.ADMITTED);
        assertThat(quotas.take("a", new Namespace.Quota(null, 3, null, null), Quotas.Measure.EVENTS, 3))
                .as("unset fields fall back to the defaults").isEqualTo(Admission.ADMITTED);
    }
}
