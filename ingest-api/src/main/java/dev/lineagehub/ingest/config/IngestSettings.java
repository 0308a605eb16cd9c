package dev.lineagehub.ingest.config;

import static org.apache.kafka.common.config.ConfigDef.Importance.HIGH;
import static org.apache.kafka.common.config.ConfigDef.Importance.LOW;
import static org.apache.kafka.common.config.ConfigDef.Importance.MEDIUM;

import dev.lineagehub.runtime.EnvConfig;
import dev.lineagehub.runtime.LegacyNames;
import dev.lineagehub.runtime.Validators;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigException;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Everything ingest-api reads from its environment; every variable starts with {@code INGEST_}. */
public record IngestSettings(int port, String bootstrapServers, Map<String, String> kafkaProperties,
                             Topics topics, int maxBodyBytes, Duration publishTimeout, int retryAfterSeconds,
                             Auth auth, Quota defaultQuota, String corsOrigins, Optional<Tls> tls, Dependencies dependencies,
                             Connections connections, Shutdown shutdown) {

    public static final String PREFIX = "LINEAGEHUB_INGEST_";
    public static final String NAME = "ingest";
    public static final String PORT = PREFIX + "PORT";
    public static final String KAFKA_BOOTSTRAP_SERVERS = PREFIX + "KAFKA_BOOTSTRAP_SERVERS";
    public static final String LINEAGE_TOPIC = PREFIX + "LINEAGE_TOPIC";
    public static final String SPANS_TOPIC = PREFIX + "SPANS_TOPIC";
    public static final String METRICS_TOPIC = PREFIX + "METRICS_TOPIC";
    public static final String LOGS_TOPIC = PREFIX + "LOGS_TOPIC";
    public static final String NAMESPACES_TOPIC = PREFIX + "NAMESPACES_TOPIC";
    public static final String AUDIT_TOPIC = PREFIX + "AUDIT_TOPIC";
    public static final String MAX_BODY_BYTES = PREFIX + "MAX_BODY_BYTES";
    public static final String PUBLISH_TIMEOUT_MS = PREFIX + "PUBLISH_TIMEOUT_MS";
    public static final String RETRY_AFTER_SECONDS = PREFIX + "RETRY_AFTER_SECONDS";
    public static final String AUTH = PREFIX + "AUTH";
    public static final String ADMIN_KEY = PREFIX + "ADMIN_KEY";
    public static final String ISOLATION = PREFIX + "ISOLATION";
    public static final String AUTO_CREATE_NAMESPACES = PREFIX + "AUTO_CREATE_NAMESPACES";
    public static final String QUOTA_EVENTS_PER_SECOND = PREFIX + "QUOTA_EVENTS_PER_SECOND";
    public static final String QUOTA_BURST = PREFIX + "QUOTA_BURST";
    public static final String QUOTA_TELEMETRY_ITEMS_PER_SECOND = PREFIX + "QUOTA_TELEMETRY_ITEMS_PER_SECOND";
    public static final String QUOTA_TELEMETRY_BURST = PREFIX + "QUOTA_TELEMETRY_BURST";
    public static final String CORS_ORIGINS = PREFIX + "CORS_ORIGINS";
    public static final String REQUEST_HEADERS_TIMEOUT_MS = PREFIX + "REQUEST_HEADERS_TIMEOUT_MS";
    public static final String REQUEST_TIMEOUT_MS = PREFIX + "REQUEST_TIMEOUT_MS";
    public static final String IDLE_TIMEOUT_MS = PREFIX + "IDLE_TIMEOUT_MS";
    public static final String MAX_CONNECTIONS = PREFIX + "MAX_CONNECTIONS";
    public static final String SHUTDOWN_GRACE_MS = PREFIX + "SHUTDOWN_GRACE_MS";
    public static final String SHUTDOWN_TIMEOUT_MS = PREFIX + "SHUTDOWN_TIMEOUT_MS";
    public static final String TLS_CERT_PATH = PREFIX + "TLS_CERT_PATH";
    public static final String TLS_KEY_PATH = PREFIX + "TLS_KEY_PATH";
    public static final String MARQUEZ_URL = PREFIX + "MARQUEZ_URL";
    public static final String CLICKHOUSE_URL = PREFIX + "CLICKHOUSE_URL";
    public static final String DATAHUB_GMS_URL = PREFIX + "DATAHUB_GMS_URL";

    /** The same settings with the request body limit derived at start. */
    public IngestSettings withMaxBodyBytes(int bytes) {
        return new IngestSettings(port, bootstrapServers, kafkaProperties, topics, bytes, publishTimeout, retryAfterSeconds, auth,
                defaultQuota, corsOrigins, tls, dependencies, connections, shutdown);
    }

    /** How a stop goes: serving for the grace period while ready answers 503, then the requests in progress finish within the timeout. */
    public record Shutdown(Duration grace, Duration timeout) {
    }

    /** What one client may hold: how long for a request's headers, for the whole request, between requests, how many connections. */
    public record Connections(Duration headersTimeout, Duration requestTimeout, Duration idleTimeout, int maxConnections) {
    }

    /** Where each kind of input goes: the topics the consumers and the Collector's Kafka exporter use. */
    public record Topics(String lineage, String spans, String metrics, String logs, String namespaces, String audit) {
    }

    /**
     * Who may write: {@code keys} asks every write for an API key (a namespace's, or the admin key);
     * {@code none} takes anything (a laptop, a trusted network). With isolation a key writes only
     * events whose job and dataset namespaces its namespace owns.
     */
    public record Auth(boolean required, String adminKey, boolean isolation, boolean autoCreateNamespaces) {
    }

    /**
     * Two token buckets per key: OpenLineage events per second on average and at once, and the same for
     * telemetry items (spans, data points, log records).
     */
    public record Quota(double eventsPerSecond, int burst, double telemetryItemsPerSecond, int telemetryBurst) {
    }

    public record Tls(Path certificate, Path key) {
    }

    /** What GET /api/v1/health checks besides Kafka; each empty when not configured. */
    public record Dependencies(Optional<URI> marquez, Optional<URI> clickhouse, Optional<URI> datahub) {
    }

    public static ConfigDef definition() {
        return new ConfigDef()
                .define(PORT, Type.INT, 8090, Range.between(0, 65535), HIGH,
                        "HTTP port of the API, /metrics and /docs (0 picks a free port).")
                .define(KAFKA_BOOTSTRAP_SERVERS, Type.STRING, "localhost:9092", HIGH,
                        "Kafka bootstrap servers. Any other Kafka client property can be set as LINEAGEHUB_INGEST_KAFKA_<PROPERTY> "
                                + "with dots written as underscores.")
                .define(LINEAGE_TOPIC, Type.STRING, "openlineage-events", HIGH,
                        "Topic OpenLineage events are published to, keyed as the OpenLineage Kafka transport keys them.")
                .define(SPANS_TOPIC, Type.STRING, "otlp_spans", MEDIUM,
                        "Topic OTLP traces are published to, as the Collector's Kafka exporter writes them (otlp_proto).")
                .define(METRICS_TOPIC, Type.STRING, "otlp_metrics", MEDIUM, "Topic OTLP metrics are published to (otlp_proto).")
                .define(LOGS_TOPIC, Type.STRING, "otlp_logs", MEDIUM, "Topic OTLP logs are published to (otlp_proto).")
                .define(NAMESPACES_TOPIC, Type.STRING, "lineagehub-namespaces", MEDIUM,
                        "Compacted topic holding the namespaces (owner, description, hashed API keys, quota); every replica "
                                + "reads all of it, so replicas agree without a database.")
                .define(AUDIT_TOPIC, Type.STRING, "lineagehub-audit", MEDIUM,
                        "Topic of the audit records (one per accepted or refused write); empty writes them to the log only.")
                .define(MAX_BODY_BYTES, Type.INT, 0, Validators.zeroOrAtLeast(1024), MEDIUM,
                        "Largest request body, after gzip decompression; a larger one is answered 413. 0 derives it from Kafka: "
                                + "the largest record the API can write (the smaller of the producer's max.request.size and the "
                                + "topics' max.message.bytes, read at start), as an OTLP export is published as one record. A value "
                                + "above that is refused at start.")
                .define(PUBLISH_TIMEOUT_MS, Type.LONG, 4_000L, Range.atLeast(100), MEDIUM,
                        "How long a write waits for Kafka's acknowledgement (acks=all) before it is answered 503; below the "
                                + "clients' own timeout (the OpenLineage HTTP transport's is 5 s).")
                .define(RETRY_AFTER_SECONDS, Type.INT, 5, Range.atLeast(1), LOW,
                        "Retry-After of a 503 (Kafka cannot take the write).")
                .define(AUTH, Type.STRING, "keys", ValidString.in("keys", "none"), HIGH,
                        "'keys': every write needs 'Authorization: Bearer <key>' (a namespace's API key or the admin key); "
                                + "'none': anyone may write (a local stack).")
                .define(ADMIN_KEY, Type.PASSWORD, null, HIGH,
                        "Key that manages namespaces and may write anything. Without it the namespace endpoints answer 401.")
                .define(ISOLATION, Type.BOOLEAN, true, MEDIUM,
                        "A namespace's key writes only events whose namespaces (the job's and every dataset's) all belong to its "
                                + "namespace's owner; other writes are answered 403 naming them. Register a team's dataset namespaces "
                                + "(e.g. postgres://db:5432) under its owner, or let LINEAGEHUB_INGEST_AUTO_CREATE_NAMESPACES register them.")
                .define(AUTO_CREATE_NAMESPACES, Type.BOOLEAN, false, MEDIUM,
                        "Register a namespace an accepted event names but the hub does not know, owned by the writing key's owner "
                                + "('auto' for the admin key or without keys), instead of refusing the event (403 with isolation).")
                .define(QUOTA_EVENTS_PER_SECOND, Type.DOUBLE, 200.0, Range.atLeast(0.001), MEDIUM,
                        "OpenLineage events per second one namespace key may write on average (per replica), unless its namespace "
                                + "sets its own; above it writes are answered 429 with Retry-After. The admin key is not metered.")
                .define(QUOTA_BURST, Type.INT, 1000, Range.atLeast(1), LOW, "Events one key may write at once above its rate; a "
                        + "request of more events than this is answered 413, as it could never be admitted.")
                .define(QUOTA_TELEMETRY_ITEMS_PER_SECOND, Type.DOUBLE, 20_000.0, Range.atLeast(0.001), MEDIUM,
                        "Spans, metric data points and log records per second one namespace key may write over OTLP on average (per "
                                + "replica), unless its namespace sets its own; metered apart from events, above it 429 with Retry-After.")
                .define(QUOTA_TELEMETRY_BURST, Type.INT, 50_000, Range.atLeast(1), LOW, "Telemetry items one key may write at once; "
                        + "an export request carrying more is answered 413. Keep it above the exporters' batch size (the SDK's 512, "
                        + "the Collector batch processor's 8192).")
                .define(REQUEST_HEADERS_TIMEOUT_MS, Type.LONG, 10_000L, Range.atLeast(100), LOW,
                        "How long a new connection may take to send its first request's headers; then it is closed.")
                .define(REQUEST_TIMEOUT_MS, Type.LONG, 30_000L, Range.atLeast(100), LOW,
                        "How long a request may take from its headers to its answer, body included; then it is answered 408 and "
                                + "its connection closed. Must be above twice LINEAGEHUB_INGEST_PUBLISH_TIMEOUT_MS, so a slow Kafka is a 503.")
                .define(IDLE_TIMEOUT_MS, Type.LONG, 60_000L, Range.atLeast(100), LOW,
                        "How long a kept-alive connection may wait for its next request; then it is closed.")
                .define(MAX_CONNECTIONS, Type.INT, 10_000, Range.atLeast(1), LOW,
                        "Connections one replica holds; a request on a connection above it is answered 503 with Retry-After and "
                                + "its connection closed.")
                .define(SHUTDOWN_GRACE_MS, Type.LONG, 5_000L, Range.atLeast(0), LOW,
                        "On SIGTERM, how long the API keeps serving while its health answers 503, so load balancers stop sending "
                                + "to it first (each answer then closes its connection).")
                .define(SHUTDOWN_TIMEOUT_MS, Type.LONG, 10_000L, Range.atLeast(0), LOW,
                        "After the grace period, how long the requests in progress have to finish once no new connection is taken; "
                                + "then the rest are closed and the producer flushes what Kafka has not acknowledged.")
                .define(CORS_ORIGINS, Type.STRING, "", Validators.regex(), LOW,
                        "Origins allowed to call the API from a browser, as a regular expression; empty allows none.")
                .define(TLS_CERT_PATH, Type.STRING, "", LOW, "PEM certificate (chain) to serve HTTPS with; empty serves HTTP.")
                .define(TLS_KEY_PATH, Type.STRING, "", LOW, "PEM private key of that certificate.")
                .define(MARQUEZ_URL, Type.STRING, "", LOW, "Marquez base URL whose /api/v1/namespaces health reports; empty skips it.")
                .define(CLICKHOUSE_URL, Type.STRING, "", LOW, "ClickHouse HTTP URL whose /ping health reports; empty skips it.")
                .define(DATAHUB_GMS_URL, Type.STRING, "", LOW, "DataHub GMS base URL whose /health health reports; empty skips it.");
    }

    /** @throws ConfigException naming the variable when a value is wrong */
    public static IngestSettings from(Map<String, String> env) {
        EnvConfig config = EnvConfig.parse(PREFIX, definition(), LegacyNames.applied(PREFIX, env,
                org.slf4j.LoggerFactory.getLogger(IngestSettings.class)::warn));
        Optional<Tls> tls = Optional.empty();
        if (!config.getString(TLS_CERT_PATH).isBlank() || !config.getString(TLS_KEY_PATH).isBlank()) {
            if (config.getString(TLS_CERT_PATH).isBlank() || config.getString(TLS_KEY_PATH).isBlank()) {
                throw new ConfigException(TLS_CERT_PATH + " and " + TLS_KEY_PATH + " must be set together");
            }
            tls = Optional.of(new Tls(Path.of(config.getString(TLS_CERT_PATH)), Path.of(config.getString(TLS_KEY_PATH))));
        }
        boolean required = config.getString(AUTH).equals("keys");
        return new IngestSettings(config.getInt(PORT), config.getString(KAFKA_BOOTSTRAP_SERVERS), config.kafkaProperties(),
                new Topics(config.getString(LINEAGE_TOPIC), config.getString(SPANS_TOPIC), config.getString(METRICS_TOPIC),
                        config.getString(LOGS_TOPIC), config.getString(NAMESPACES_TOPIC), config.getString(AUDIT_TOPIC)),
                config.getInt(MAX_BODY_BYTES), Duration.ofMillis(config.getLong(PUBLISH_TIMEOUT_MS)), config.getInt(RETRY_AFTER_SECONDS),
                new Auth(required, config.getSecret(ADMIN_KEY), config.getBoolean(ISOLATION), config.getBoolean(AUTO_CREATE_NAMESPACES)),
                new Quota(config.getDouble(QUOTA_EVENTS_PER_SECOND), config.getInt(QUOTA_BURST),
                        config.getDouble(QUOTA_TELEMETRY_ITEMS_PER_SECOND), config.getInt(QUOTA_TELEMETRY_BURST)),
                config.getString(CORS_ORIGINS), tls,
                new Dependencies(url(config, MARQUEZ_URL), url(config, CLICKHOUSE_URL), url(config, DATAHUB_GMS_URL)),
                connections(config),
                new Shutdown(Duration.ofMillis(config.getLong(SHUTDOWN_GRACE_MS)), Duration.ofMillis(config.getLong(SHUTDOWN_TIMEOUT_MS))));
    }

    private static Connections connections(EnvConfig config) {
        Connections connections = new Connections(Duration.ofMillis(config.getLong(REQUEST_HEADERS_TIMEOUT_MS)),
                Duration.ofMillis(config.getLong(REQUEST_TIMEOUT_MS)), Duration.ofMillis(config.getLong(IDLE_TIMEOUT_MS)),
                config.getInt(MAX_CONNECTIONS));
        long publish = config.getLong(PUBLISH_TIMEOUT_MS);
        if (connections.requestTimeout().toMillis() <= 2 * publish) {
            throw new ConfigException(REQUEST_TIMEOUT_MS + " (" + connections.requestTimeout().toMillis() + ") must be above twice "
                    + PUBLISH_TIMEOUT_MS + " (" + publish + "): a write waiting on Kafka would be answered 408 instead of 503");
        }
        return connections;
    }

    private static Optional<URI> url(EnvConfig config, String name) {
        String value = config.getString(name);
        if (value.isBlank()) {
            return Optional.empty();
        }
        Validators.uri("http", "https").ensureValid(name, value);
        return Optional.of(URI.create(value.endsWith("/") ? value.substring(0, value.length() - 1) : value));
    }
}
