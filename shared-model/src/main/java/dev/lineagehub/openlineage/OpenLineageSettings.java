package dev.lineagehub.openlineage;

import static org.apache.kafka.common.config.ConfigDef.Importance.HIGH;
import static org.apache.kafka.common.config.ConfigDef.Importance.MEDIUM;

import dev.lineagehub.runtime.EnvConfig;
import dev.lineagehub.runtime.Validators;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/** Settings of the consumers that forward OpenLineage events one by one (Marquez, DataHub). */
public record OpenLineageSettings(String topic, NamespaceFilter filter, int maxInFlight) {

    public static final String TOPIC = "TOPIC";
    public static final String NAMESPACE_INCLUDE = "NAMESPACE_INCLUDE";
    public static final String NAMESPACE_EXCLUDE = "NAMESPACE_EXCLUDE";
    public static final String MAX_IN_FLIGHT = "MAX_IN_FLIGHT";

    public static void define(ConfigDef def, String prefix) {
        def.define(prefix + TOPIC, Type.STRING, "openlineage-events", HIGH,
                        "Topic the OpenLineage clients' Kafka transport writes to.")
                .define(prefix + NAMESPACE_INCLUDE, Type.STRING, "", Validators.regex(), MEDIUM,
                        "Only forward events whose job (or dataset) namespace matches this regular expression; empty forwards all.")
                .define(prefix + NAMESPACE_EXCLUDE, Type.STRING, "", Validators.regex(), MEDIUM,
                        "Skip events whose namespace matches this regular expression. Skipped events are counted, not dead-lettered.")
                .define(prefix + MAX_IN_FLIGHT, Type.INT, 32, Range.between(1, 10_000), MEDIUM,
                        "Sink calls in flight per input partition, pooled across the partitions of one stream thread (a quiet partition's "
                                + "slots serve a busy one); as many more events wait in line. Events of one run are always delivered one "
                                + "after another.");
    }

    public static OpenLineageSettings from(EnvConfig config) {
        String p = config.prefix();
        return new OpenLineageSettings(config.getString(p + TOPIC),
                NamespaceFilter.of(config.getString(p + NAMESPACE_INCLUDE), config.getString(p + NAMESPACE_EXCLUDE)),
                config.getInt(p + MAX_IN_FLIGHT));
    }
}
