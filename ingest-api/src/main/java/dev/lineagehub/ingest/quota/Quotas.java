package dev.lineagehub.ingest.quota;

import dev.lineagehub.ingest.config.IngestSettings;
import dev.lineagehub.ingest.namespaces.Namespace;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Per-key write quotas. A request costs what it carries: a lineage request its events (a batch of 50
 * costs 50), an OTLP export its spans, data points or log records. Lineage events and telemetry items
 * are metered in two buckets, as their volumes differ by orders of magnitude and telemetry must not
 * starve lineage. Each replica counts on its own, so behind N replicas a key may write up to N times
 * its rate: set the rate per replica. Only namespace keys are metered: the admin key, and everyone
 * when the API runs without keys, are not.
 */
public final class Quotas {

    /** What a bucket counts. */
    public enum Measure {
        EVENTS("OpenLineage events"), TELEMETRY("spans, data points or log records");

        private final String unit;

        Measure(String unit) {
            this.unit = unit;
        }

        public String unit() {
            return unit;
        }
    }

    private final IngestSettings.Quota defaults;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    private record Bucket(double rate, int burst, TokenBucket bucket) {
    }

    public Quotas(IngestSettings.Quota defaults, LongSupplier nanoTime) {
        this.defaults = defaults;
        this.nanoTime = nanoTime;
    }

    /** Takes {@code cost} from the key's bucket for {@code measure}, or says when it could, or that it never can. */
    public Admission take(String keyId, Namespace.Quota own, Measure measure, long cost) {
        double rate = switch (measure) {
            case EVENTS -> own != null && own.eventsPerSecond() != null ? own.eventsPerSecond() : defaults.eventsPerSecond();
            case TELEMETRY -> own != null && own.telemetryItemsPerSecond() != null ? own.telemetryItemsPerSecond()
                    : defaults.telemetryItemsPerSecond();
        };
        int burst = switch (measure) {
            case EVENTS -> own != null && own.burst() != null ? own.burst() : defaults.burst();
            case TELEMETRY -> own != null && own.telemetryBurst() != null ? own.telemetryBurst() : defaults.telemetryBurst();
        };
        if (cost > burst) {
            return new Admission.TooLarge(cost, burst, measure);
        }
        // A namespace whose quota changed gets a fresh bucket with the new figures.
        Bucket bucket = buckets.compute(keyId + "/" + measure, (id, current) -> current != null && current.rate() == rate
                && current.burst() == burst ? current : new Bucket(rate, burst, new TokenBucket(rate, burst, nanoTime)));
        long wait = bucket.bucket().take((int) cost);
        return wait == 0 ? Admission.ADMITTED : new Admission.Later(Duration.ofNanos(wait));
    }
}
