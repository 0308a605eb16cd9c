package dev.lineagehub.runtime;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.streams.Topology;

import java.util.List;
import java.util.Map;

/** What makes one consumer: its name, settings and topology. {@link ConsumerRuntime} does the rest. */
public interface ConsumerDefinition {

    /** Short name used in metrics ({@code lineagehub_<name>_*}), group id and dead-letter topic defaults. */
    String name();

    /** Prefix of all its environment variables, e.g. {@code MARQUEZ_}. */
    String envPrefix();

    int defaultAdminPort();

    /** Adds the consumer's own settings to the runtime's. */
    void define(ConfigDef definition);

    List<String> inputTopics(EnvConfig config);

    /**
     * Builds the topology. Resources that must outlive it (HTTP clients, connection pools) are handed
     * to {@link RuntimeContext#closeOnShutdown}.
     */
    Topology topology(EnvConfig config, RuntimeContext context);

    /** Kafka Streams properties this consumer sets unless a {@code <PREFIX>KAFKA_*} variable does. */
    default Map<String, Object> streamsDefaults() {
        return Map.of();
    }
}
