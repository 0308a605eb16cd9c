package dev.lineagehub.openlineage;

import static org.apache.kafka.common.config.ConfigDef.Importance.HIGH;
import static org.apache.kafka.common.config.ConfigDef.Importance.MEDIUM;

import dev.lineagehub.runtime.EnvConfig;
import dev.lineagehub.runtime.Validators;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.streams.StreamsConfig;

import java.util.Map;

/** Settings of the consumers that forward OpenLineage events one by one (Marquez, DataHub). */
public record OpenLineageSettings(String topic, NamespaceFilter filter, int maxInFlight, OrderBy orderBy, boolean adaptive) {

    public static final String TOPIC = "TOPIC";
    public static final String NAMESPACE_INCLUDE = "NAMESPACE_INCLUDE";
    public static final String NAMESPACE_EXCLUDE = "NAMESPACE_EXCLUDE";
    public static final String MAX_IN_FLIGHT = "MAX_IN_FLIGHT";
    public static final String ORDER_BY = "ORDER_BY";
    public static final String CONCURRENCY = "CONCURRENCY";

    /**
     * Kafka Streams defaults of the OpenLineage consumers: fetch responses under half a megabyte.
     * Events are a few KB, so smaller fetches cost nothing, while Kafka's 1 MB per partition made every
     * response a humongous allocation for G1 at the heaps these consumers run with (docs/benchmarks.md:
     * against the 5 ms double, CPU per event and the share of the direct loop both improved). A larger
     * record is still fetched, alone. {@code <PREFIX>KAFKA_FETCH_MAX_BYTES} and
     * {@code <PREFIX>KAFKA_MAX_PARTITION_FETCH_BYTES} override them.
     *
     * <p>And {@code max.task.idle.ms} -1: a task here reads one partition of one topic, so there are no
     * partitions whose timestamps Streams could align by waiting; with the default it checked them, and
     * formatted a log line it then dropped, whenever the buffer ran empty (seen in a profile of the stream thread).
     */
    public static final Map<String, Object> STREAMS_DEFAULTS = Map.of(
            StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_BYTES_CONFIG), 512 * 1024,
            StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG), 256 * 1024,
            StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);

    public static void define(ConfigDef def, String prefix) {
        def.define(prefix + TOPIC, Type.STRING, "openlineage-events", HIGH,
                        "Topic the OpenLineage clients' Kafka transport writes to.")
                .define(prefix + NAMESPACE_INCLUDE, Type.STRING, "", Validators.regex(), MEDIUM,
                        "Only forward events whose job (or dataset) namespace matches this regular expression; empty forwards all.")
                .define(prefix + NAMESPACE_EXCLUDE, Type.STRING, "", Validators.regex(), MEDIUM,
                        "Skip events whose namespace matches this regular expression. Skipped events are counted, not dead-lettered.")
                .define(prefix + MAX_IN_FLIGHT, Type.INT, 32, Range.between(1, 10_000), MEDIUM,
                        "Most sink calls in flight per input partition, pooled across the instance's partitions (a quiet partition's "
                                + "slots serve a busy one); as many more events wait in line. With CONCURRENCY=adaptive the sink's latency "
                                + "decides how many of them are used.")
                .define(prefix + CONCURRENCY, Type.STRING, "adaptive", ConfigDef.CaseInsensitiveValidString.in("adaptive", "fixed"),
                        MEDIUM, "'adaptive': the calls in flight follow the sink's latency, between 1 and MAX_IN_FLIGHT per partition: "
                                + "more while answers come as fast as unloaded, fewer when they queue or time out (metric "
                                + "concurrency_limit). 'fixed': always MAX_IN_FLIGHT per partition.")
                .define(prefix + ORDER_BY, Type.STRING, "key", ConfigDef.CaseInsensitiveValidString.in("key", "run", "partition"), MEDIUM,
                        "What is delivered one after another, in offset order: 'key' (the Kafka record key, as the OpenLineage Kafka "
                                + "transport sets it: a parent run and its children alike; runId for records without a key), 'run' (each "
                                + "run on its own: more concurrency, children may overtake their parent) or 'partition' (all of it in "
                                + "order, one call at a time per partition).");
    }

    public static OpenLineageSettings from(EnvConfig config) {
        String p = config.prefix();
        return new OpenLineageSettings(config.getString(p + TOPIC),
                NamespaceFilter.of(config.getString(p + NAMESPACE_INCLUDE), config.getString(p + NAMESPACE_EXCLUDE)),
                config.getInt(p + MAX_IN_FLIGHT), OrderBy.parse(config.getString(p + ORDER_BY)),
                "adaptive".equalsIgnoreCase(config.getString(p + CONCURRENCY)));
    }
}
