package dev.lineagehub.ingest.quota;

import dev.lineagehub.ingest.config.IngestSettings;
import dev.lineagehub.ingest.namespaces.Namespace;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Per-key write quotas, counted in events (a batch of 50 takes 50). Each replica counts on its own,
 * so behind N replicas a key may write up to N times its rate: set the rate per replica. Only
 * namespace keys are metered: the admin key, and everyone when the API runs without keys, are not.
 */
public final class Quotas {

    private final IngestSettings.Quota defaults;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    private record Bucket(IngestSettings.Quota quota, TokenBucket bucket) {
    }

    public Quotas(IngestSettings.Quota defaults, LongSupplier nanoTime) {
        this.defaults = defaults;
        this.nanoTime = nanoTime;
    }

    /** Empty when the key may write {@code events} now, else how long until it may. */
    public Optional<Duration> take(String keyId, Namespace.Quota own, int events) {
        IngestSettings.Quota quota = new IngestSettings.Quota(
                own != null && own.eventsPerSecond() != null ? own.eventsPerSecond() : defaults.eventsPerSecond(),
                own != null && own.burst() != null ? own.burst() : defaults.burst());
        // A namespace whose quota changed gets a fresh bucket with the new figures.
        Bucket bucket = buckets.compute(keyId, (id, current) -> current != null && current.quota().equals(quota)
                ? current : new Bucket(quota, new TokenBucket(quota.eventsPerSecond(), quota.burst(), nanoTime)));
        long wait = bucket.bucket().take(events);
        return wait == 0 ? Optional.empty() : Optional.of(Duration.ofNanos(wait));
    }
}
