package dev.lineagehub.ingest.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;

/**
 * What ingest-api counts: requests by endpoint and status, events and export requests published by
 * topic, how long Kafka took to acknowledge a write, the connections held, the producer's own metrics
 * ({@code kafka_producer_*}), and the JVM's memory, GC, threads and CPU.
 */
public final class IngestMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.jvm.JvmGcMetrics().bindTo(registry);
    }

    private final Timer publish = Timer.builder("lineagehub_ingest_publish_seconds")
            .description("Time from a write's arrival to Kafka's acknowledgement of all its records")
            .publishPercentileHistogram().register(registry);

    public void request(String endpoint, int status) {
        Counter.builder("lineagehub_ingest_requests_total").description("Requests answered, by endpoint and status")
                .tag("endpoint", endpoint).tag("status", String.valueOf(status)).register(registry).increment();
    }

    public void published(String topic, int records) {
        Counter.builder("lineagehub_ingest_records_total").description("Records Kafka acknowledged, by topic")
                .tag("topic", topic).register(registry).increment(records);
    }

    /** The connections this replica holds, read at each scrape. */
    void connections(java.util.function.Supplier<Number> open) {
        io.micrometer.core.instrument.Gauge.builder("lineagehub_ingest_connections", open)
                .description("HTTP connections this replica holds (LINEAGEHUB_INGEST_MAX_CONNECTIONS caps them)").register(registry);
    }

    /** Binds a component's own meters, e.g. the producer's. */
    public void bind(io.micrometer.core.instrument.binder.MeterBinder binder) {
        binder.bindTo(registry);
    }

    public void publishTime(Duration time) {
        publish.record(time);
    }

    public String scrape() {
        return registry.scrape();
    }
}
