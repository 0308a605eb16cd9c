package dev.lineagehub.ingest.quota;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lineagehub.ingest.config.IngestSettings;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Scale;
import net.jqwik.api.constraints.Size;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Whatever the requests' sizes and timing, a key never writes more than its burst plus its rate over the time. */
class QuotasPropertiesTest {

    /** A request of {@code cost} after {@code gapNanos}. */
    record Step(long gapNanos, long cost) {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Long> gaps = Arbitraries.oneOf(Arbitraries.just(0L), Arbitraries.longs().between(1, 1_000),
                Arbitraries.longs().between(1_000, 5_000_000_000L));
        Arbitrary<Long> costs = Arbitraries.oneOf(Arbitraries.longs().between(0, 5), Arbitraries.longs().between(0, 2_000),
                Arbitraries.longs().between(Integer.MAX_VALUE - 2L, Integer.MAX_VALUE + 2L));
        return Combinators.combine(gaps, costs).as(Step::new).list().ofMaxSize(300);
    }

    @Property(tries = 300)
    void admittedNeverExceedsBurstPlusRateTimesElapsed(@ForAll("steps") List<Step> steps,
                                                       @ForAll @DoubleRange(min = 0.001, max = 100_000) @Scale(3) double rate,
                                                       @ForAll @IntRange(min = 1, max = 5_000) int burst) {
        AtomicLong now = new AtomicLong(Long.MAX_VALUE / 4);
        long start = now.get();
        Quotas quotas = new Quotas(new IngestSettings.Quota(rate, burst, rate, burst), now::get);
        long admitted = 0;
        for (Step step : steps) {
            now.addAndGet(step.gapNanos());
            Admission answer = quotas.take("key", null, Quotas.Measure.EVENTS, step.cost());
            if (answer instanceof Admission.Admitted) {
                admitted += step.cost();
            } else if (answer instanceof Admission.TooLarge) {
                assertThat(step.cost()).isGreaterThan(burst);
            } else {
                assertThat(((Admission.Later) answer).after()).isPositive();
                assertThat(step.cost()).isLessThanOrEqualTo(burst);
            }
            double elapsedSeconds = (now.get() - start) / 1e9;
            assertThat((double) admitted).isLessThanOrEqualTo(burst + rate * elapsedSeconds + 1e-6);
        }
    }

    @Property(tries = 200)
    void waitingTheAnsweredTimeAdmits(@ForAll @Size(max = 50) List<@IntRange(min = 1, max = 100) Integer> costs,
                                      @ForAll @DoubleRange(min = 0.01, max = 10_000) double rate) {
        AtomicLong now = new AtomicLong(0);
        Quotas quotas = new Quotas(new IngestSettings.Quota(rate, 100, rate, 100), now::get);
        for (int cost : costs) {
            Admission answer = quotas.take("key", null, Quotas.Measure.TELEMETRY, cost);
            if (answer instanceof Admission.Later later) {
                now.addAndGet(later.after().toNanos());
                assertThat(quotas.take("key", null, Quotas.Measure.TELEMETRY, cost)).isEqualTo(Admission.ADMITTED);
            }
        }
    }
}
