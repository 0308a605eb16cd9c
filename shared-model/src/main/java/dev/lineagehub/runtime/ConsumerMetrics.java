package dev.lineagehub.runtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The counters every consumer exposes, named {@code lineagehub_<thing>} in Prometheus with the
 * consumer as a tag ({@code lineagehub_delivered_total{consumer="lineage"}}), so one query, alert or
 * panel serves every consumer: delivered, dead_lettered (by reason), retries, filtered, in_flight and
 * delivery_seconds. Every meter of the consumer's registry, JVM and Kafka ones included, carries the tag.
 */
public final class ConsumerMetrics {

    private final MeterRegistry registry;
    private final String prefix;
    private final Counter delivered;
    private final Counter retries;
    private final Counter filtered;
    private final Timer deliveryLatency;
    private final AtomicInteger inFlight = new AtomicInteger();

    public ConsumerMetrics(MeterRegistry registry, String consumer) {
        this.registry = registry;
        registry.config().commonTags("consumer", consumer);
        this.prefix = "lineagehub.";
        this.delivered = Counter.builder(prefix + "delivered")
                .description("Records acknowledged by the sink").register(registry);
        this.retries = Counter.builder(prefix + "retries")
                .description("Records whose delivery attempt failed with a retryable error (each record of a failed batch)").register(registry);
        this.filtered = Counter.builder(prefix + "filtered")
                .description("Records skipped on purpose (namespace filter), not dead-lettered").register(registry);
        this.deliveryLatency = Timer.builder(prefix + "delivery")
                .description("Time from hand-over to the sink until its acknowledgement, retries included")
                .publishPercentileHistogram()
                .register(registry);
        registry.gauge(prefix + "in_flight", inFlight);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Name of a runtime or consumer-specific meter ({@code lineagehub.<suffix>}); the consumer is its tag. */
    public String name(String suffix) {
        return prefix + suffix;
    }

    public void delivered(int records, Duration latency) {
        delivered.increment(records);
        deliveryLatency.record(latency);
    }

    public void deadLettered(String reason) {
        Counter.builder(prefix + "dead_lettered")
                .description("Records written to the dead-letter topic")
                .tag("reason", reason)
                .register(registry)
                .increment();
    }

    public void retried() {
        retried(1);
    }

    /** {@code records} whose delivery attempt failed together (a batch insert). */
    public void retried(int records) {
        retries.increment(records);
    }

    public void filtered() {
        filtered.increment();
    }

    public AtomicInteger inFlight() {
        return inFlight;
    }
}
