package dev.lineagehub.runtime;

import static org.apache.kafka.common.config.ConfigDef.Importance.HIGH;
import static org.apache.kafka.common.config.ConfigDef.Importance.LOW;
import static org.apache.kafka.common.config.ConfigDef.Importance.MEDIUM;

import dev.lineagehub.delivery.RetryPolicy;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

import java.time.Duration;

/** The settings every consumer has, each named {@code <PREFIX><SUFFIX>}. */
public final class RuntimeSettings {

    public static final String KAFKA_BOOTSTRAP_SERVERS = "KAFKA_BOOTSTRAP_SERVERS";
    public static final String KAFKA_APPLICATION_ID = "KAFKA_APPLICATION_ID";
    public static final String DLQ_TOPIC = "DLQ_TOPIC";
    public static final String ADMIN_PORT = "ADMIN_PORT";
    public static final String RETRY_INITIAL_BACKOFF_MS = "RETRY_INITIAL_BACKOFF_MS";
    public static final String RETRY_MAX_BACKOFF_MS = "RETRY_MAX_BACKOFF_MS";
    public static final String MAX_ATTEMPTS = "MAX_ATTEMPTS";
    public static final String SHUTDOWN_TIMEOUT_MS = "SHUTDOWN_TIMEOUT_MS";
    public static final String TASK_CLOSE_TIMEOUT_MS = "TASK_CLOSE_TIMEOUT_MS";
    public static final String STALL_TIMEOUT_MS = "STALL_TIMEOUT_MS";

    private RuntimeSettings() {
    }

    static ConfigDef define(String prefix, String consumer, int adminPort) {
        return new ConfigDef()
                .define(prefix + KAFKA_BOOTSTRAP_SERVERS, Type.STRING, "localhost:9092", HIGH,
                        "Kafka bootstrap servers. Any other Kafka client or Streams property can be set as "
                                + prefix + "KAFKA_<PROPERTY> with dots written as underscores.")
                .define(prefix + KAFKA_APPLICATION_ID, Type.STRING, "lineage-hub-" + consumer, HIGH,
                        "Kafka Streams application id: the consumer group; instances with the same id share the partitions.")
                .define(prefix + DLQ_TOPIC, Type.STRING, "{topic}-" + consumer + "-dlq", MEDIUM,
                        "Dead-letter topic; {topic} is replaced by the input topic the record came from.")
                .define(prefix + ADMIN_PORT, Type.INT, adminPort, Range.between(0, 65535), MEDIUM,
                        "Port of /metrics, /health/live and /health/ready (0 picks a free port).")
                .define(prefix + RETRY_INITIAL_BACKOFF_MS, Type.LONG, 200L, Range.atLeast(0), LOW,
                        "Wait before the first retry of a retryable sink failure; doubles per attempt, with jitter.")
                .define(prefix + RETRY_MAX_BACKOFF_MS, Type.LONG, 30_000L, Range.atLeast(1), LOW,
                        "Longest wait between retries, also the cap on a sink's Retry-After.")
                .define(prefix + MAX_ATTEMPTS, Type.INT, 5, Range.atLeast(0), MEDIUM,
                        "Retryable refusals of one record while the sink acknowledges other records, after which the record "
                                + "is dead-lettered as SINK_POISON; 0 never gives up. While the sink refuses everything (down) "
                                + "nothing is counted: the consumer waits for it without limit.")
                .define(prefix + SHUTDOWN_TIMEOUT_MS, Type.LONG, 30_000L, Range.atLeast(1), MEDIUM,
                        "How long a shutdown waits for in-flight deliveries and the final commit; keep it below "
                                + "the pod's terminationGracePeriodSeconds.")
                .define(prefix + TASK_CLOSE_TIMEOUT_MS, Type.LONG, 10_000L, Range.atLeast(0), LOW,
                        "How long a revoked or closing partition waits for the sink calls it already started, so that none "
                                + "reaches the sink after the partition's next owner delivered. Calls usually end in well under a "
                                + "second; one still unanswered after this (a huge event) is left to finish and may land after the "
                                + "next owner's delivery of the same key. Rebalances wait this long at most.")
                .define(prefix + STALL_TIMEOUT_MS, Type.LONG, 120_000L, Range.atLeast(1), MEDIUM,
                        "A partition whose oldest unresolved record has not resolved for this long while the sink is up "
                                + "counts as stalled: /health/ready fails and the partition_stalled metric is 1.");
    }

    static RetryPolicy retryPolicy(EnvConfig config) {
        String p = config.prefix();
        long initial = config.getLong(p + RETRY_INITIAL_BACKOFF_MS);
        long max = Math.max(initial, config.getLong(p + RETRY_MAX_BACKOFF_MS));
        return new RetryPolicy(Duration.ofMillis(initial), Duration.ofMillis(max), config.getInt(p + MAX_ATTEMPTS));
    }
}
