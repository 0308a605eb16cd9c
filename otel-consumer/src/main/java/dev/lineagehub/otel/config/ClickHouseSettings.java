package dev.lineagehub.otel.config;

import static org.apache.kafka.common.config.ConfigDef.Importance.HIGH;
import static org.apache.kafka.common.config.ConfigDef.Importance.LOW;
import static org.apache.kafka.common.config.ConfigDef.Importance.MEDIUM;

import dev.lineagehub.otlp.Encoding;
import dev.lineagehub.runtime.EnvConfig;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigException;

import java.time.Duration;
import java.util.Locale;

/** Where otel-consumer reads spans and how it writes them to ClickHouse. All variables start with {@code CLICKHOUSE_}. */
public record ClickHouseSettings(String jdbcUrl, String user, String password, String database, boolean createSchema,
                                 Duration ttl, String spansTopic, Encoding spansEncoding, String metricsTopic,
                                 Encoding metricsEncoding, String logsTopic, Encoding logsEncoding, String lineageTopic,
                                 int batchRows, long batchBytes, Duration batchMaxAge, long queueBytes) {

    public static final String PREFIX = "LINEAGEHUB_OTEL_";
    public static final String URL = PREFIX + "URL";
    public static final String USER = PREFIX + "USER";
    public static final String PASSWORD = PREFIX + "PASSWORD";
    public static final String DATABASE = PREFIX + "DATABASE";
    public static final String CREATE_SCHEMA = PREFIX + "CREATE_SCHEMA";
    public static final String TTL_HOURS = PREFIX + "TTL_HOURS";
    public static final String SPANS_TOPIC = PREFIX + "SPANS_TOPIC";
    public static final String SPANS_ENCODING = PREFIX + "SPANS_ENCODING";
    public static final String METRICS_TOPIC = PREFIX + "METRICS_TOPIC";
    public static final String METRICS_ENCODING = PREFIX + "METRICS_ENCODING";
    public static final String LOGS_TOPIC = PREFIX + "LOGS_TOPIC";
    public static final String LOGS_ENCODING = PREFIX + "LOGS_ENCODING";
    public static final String LINEAGE_TOPIC = PREFIX + "LINEAGE_TOPIC";
    public static final String BATCH_ROWS = PREFIX + "BATCH_ROWS";
    public static final String BATCH_BYTES = PREFIX + "BATCH_BYTES";
    public static final String BATCH_MAX_MS = PREFIX + "BATCH_MAX_MS";
    public static final String QUEUE_BYTES = PREFIX + "QUEUE_BYTES";

    public static void define(ConfigDef def) {
        def.define(URL, Type.STRING, "jdbc:clickhouse:http://localhost:8123/default", ClickHouseSettings::validJdbcUrl, HIGH,
                        "clickhouse-jdbc URL of the ClickHouse HTTP interface, e.g. jdbc:clickhouse:https://ch:8443/default?ssl=true.")
                .define(USER, Type.STRING, "default", HIGH, "ClickHouse user.")
                .define(PASSWORD, Type.PASSWORD, "", HIGH, "ClickHouse password.")
                .define(DATABASE, Type.STRING, "otel", MEDIUM, "Database of the otel_* tables (the Collector exporter's default).")
                .define(CREATE_SCHEMA, Type.BOOLEAN, true, MEDIUM,
                        "Create the database and tables when missing; false only checks they exist and names the missing ones.")
                .define(TTL_HOURS, Type.INT, 0, Range.atLeast(0), LOW,
                        "Row time to live of created tables, in hours; 0 keeps rows for ever. Rows older than it vanish on insert.")
                .define(SPANS_TOPIC, Type.STRING, "otlp_spans", HIGH, "Topic the Collector's Kafka exporter writes spans to.")
                .define(SPANS_ENCODING, Type.STRING, "otlp_proto", ValidString.in("otlp_proto", "otlp_json"), HIGH,
                        "Encoding the exporter uses for that topic.")
                .define(METRICS_TOPIC, Type.STRING, "otlp_metrics", MEDIUM,
                        "Topic the Collector's Kafka exporter writes metrics to; empty reads no metrics.")
                .define(METRICS_ENCODING, Type.STRING, "otlp_proto", ValidString.in("otlp_proto", "otlp_json"), MEDIUM,
                        "Encoding the exporter uses for that topic.")
                .define(LOGS_TOPIC, Type.STRING, "otlp_logs", MEDIUM,
                        "Topic the Collector's Kafka exporter writes logs to (into otel_logs); empty reads no logs.")
                .define(LOGS_ENCODING, Type.STRING, "otlp_proto", ValidString.in("otlp_proto", "otlp_json"), MEDIUM,
                        "Encoding the exporter uses for that topic.")
                .define(LINEAGE_TOPIC, Type.STRING, "", MEDIUM,
                        "OpenLineage topic (e.g. openlineage-events) whose run state changes are written to lineage_runs, "
                                + "to join runs with otel_traces on TraceId; empty writes none.")
                .define(BATCH_ROWS, Type.INT, 50_000, Range.between(1, 1_000_000), MEDIUM,
                        "Rows per insert: a partition's batch is inserted when it has this many rows.")
                .define(BATCH_BYTES, Type.LONG, 16L * 1024 * 1024, Range.atLeast(1024), MEDIUM,
                        "Most OTLP bytes per insert, as read from Kafka: a partition's batch is inserted before its records would hold "
                                + "more, whatever its rows; a larger record is a batch of its own.")
                .define(BATCH_MAX_MS, Type.LONG, 1_000L, Range.atLeast(10), MEDIUM,
                        "Longest a row waits in a batch before the batch is inserted anyway.")
                .define(QUEUE_BYTES, Type.LONG, 32L * 1024 * 1024, Range.atLeast(1024), MEDIUM,
                        "Most OTLP bytes, as read from Kafka, an instance holds read but not yet in ClickHouse, all partitions "
                                + "together: past it the consumer pauses reading until half is stored. What bounds the heap; "
                                + "at least " + BATCH_BYTES + ".");
    }

    public static ClickHouseSettings from(EnvConfig config) {
        return new ClickHouseSettings(config.getString(URL), config.getString(USER), config.getSecret(PASSWORD),
                config.getString(DATABASE), config.getBoolean(CREATE_SCHEMA), Duration.ofHours(config.getInt(TTL_HOURS)),
                config.getString(SPANS_TOPIC), encoding(config.getString(SPANS_ENCODING)),
                config.getString(METRICS_TOPIC), encoding(config.getString(METRICS_ENCODING)),
                config.getString(LOGS_TOPIC), encoding(config.getString(LOGS_ENCODING)), config.getString(LINEAGE_TOPIC),
                config.getInt(BATCH_ROWS), config.getLong(BATCH_BYTES), Duration.ofMillis(config.getLong(BATCH_MAX_MS)),
                config.getLong(QUEUE_BYTES)).checked();
    }

    /** Limits derived from one another: a batch of BATCH_BYTES must fit in what may be queued, or it could never fill. */
    private ClickHouseSettings checked() {
        if (queueBytes < batchBytes) {
            throw new ConfigException(QUEUE_BYTES + " (" + queueBytes + ") is below " + BATCH_BYTES + " (" + batchBytes
                    + "): a batch could never fill; raise " + QUEUE_BYTES + " or lower " + BATCH_BYTES);
        }
        return this;
    }

    public boolean metricsEnabled() {
        return metricsTopic != null && !metricsTopic.isBlank();
    }

    public boolean logsEnabled() {
        return logsTopic != null && !logsTopic.isBlank();
    }

    public boolean lineageEnabled() {
        return lineageTopic != null && !lineageTopic.isBlank();
    }

    private static Encoding encoding(String value) {
        return Encoding.valueOf(value.toUpperCase(Locale.ROOT));
    }

    private static void validJdbcUrl(String name, Object value) {
        if (value == null || !value.toString().startsWith("jdbc:clickhouse:")) {
            throw new ConfigException(name, value, "must be a clickhouse-jdbc URL starting with jdbc:clickhouse:");
        }
    }
}
