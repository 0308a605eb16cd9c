package dev.lineagehub.otel;

import dev.lineagehub.otel.config.ClickHouseSettings;
import dev.lineagehub.otel.topology.OtelTopology;
import dev.lineagehub.runtime.ConsumerDefinition;
import dev.lineagehub.runtime.ConsumerRuntime;
import dev.lineagehub.runtime.EnvConfig;
import dev.lineagehub.runtime.RuntimeContext;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

import java.util.List;
import java.util.Map;

/** otel-consumer: OTLP spans and metrics from the Collector's Kafka exporter into ClickHouse, in the exporter's schema, exactly once. */
public final class OtelConsumer implements ConsumerDefinition {

    public static void main(String[] args) {
        ConsumerRuntime.main(new OtelConsumer(), args);
    }

    @Override
    public String name() {
        return "otel";
    }

    @Override
    public String envPrefix() {
        return ClickHouseSettings.PREFIX;
    }

    @Override
    public int defaultAdminPort() {
        return 8083;
    }

    @Override
    public void define(ConfigDef definition) {
        ClickHouseSettings.define(definition);
    }

    @Override
    public List<String> inputTopics(EnvConfig config) {
        ClickHouseSettings settings = ClickHouseSettings.from(config);
        List<String> topics = new java.util.ArrayList<>(List.of(settings.spansTopic()));
        if (settings.metricsEnabled()) {
            topics.add(settings.metricsTopic());
        }
        if (settings.lineageEnabled()) {
            topics.add(settings.lineageTopic());
        }
        return topics;
    }

    /**
     * Two stream threads: an insert blocks its thread, and with one thread nothing was decoded or
     * fetched meanwhile. Overlapping them took the benchmark from ~71 % to ~93 % of a plain batch
     * insert (docs/benchmarks.md). LINEAGEHUB_OTEL_KAFKA_NUM_STREAM_THREADS overrides it.
     */
    @Override
    public Map<String, Object> streamsDefaults() {
        return Map.of(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 2);
    }

    @Override
    public Topology topology(EnvConfig config, RuntimeContext context) {
        return OtelTopology.build(ClickHouseSettings.from(config), context);
    }
}
