package dev.lineagehub.lineage.config;

import static org.apache.kafka.common.config.ConfigDef.Importance.HIGH;
import static org.apache.kafka.common.config.ConfigDef.Importance.LOW;
import static org.apache.kafka.common.config.ConfigDef.Importance.MEDIUM;

import dev.lineagehub.runtime.EnvConfig;
import dev.lineagehub.runtime.Validators;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How lineage-consumer reaches Marquez. All variables start with {@code MARQUEZ_}, so the
 * {@code LINEAGEHUB_LINEAGE_URL} that Marquez users already set is read as is.
 */
public record MarquezSettings(URI url, String apiKey, Duration requestTimeout, boolean gzip,
                              Map<String, String> headers, int maxConnections, Optional<Path> outputFile) {

    public static final String PREFIX = "LINEAGEHUB_LINEAGE_";
    public static final String URL = PREFIX + "URL";
    public static final String API_KEY = PREFIX + "API_KEY";
    public static final String REQUEST_TIMEOUT_MS = PREFIX + "REQUEST_TIMEOUT_MS";
    public static final String GZIP = PREFIX + "GZIP";
    public static final String HEADERS = PREFIX + "HEADERS";
    public static final String MAX_CONNECTIONS = PREFIX + "MAX_CONNECTIONS";
    public static final String OUTPUT_FILE = PREFIX + "OUTPUT_FILE";

    public static void define(ConfigDef def) {
        def.define(URL, Type.STRING, "http://localhost:5000", Validators.uri("http", "https"), HIGH,
                        "Marquez API base URL; events are POSTed to <url>/api/v1/lineage.")
                .define(API_KEY, Type.PASSWORD, null, HIGH,
                        "API key or token, sent as 'Authorization: Bearer <key>' (as the OpenLineage HTTP transport does).")
                .define(REQUEST_TIMEOUT_MS, Type.LONG, 60_000L, Range.atLeast(1), MEDIUM,
                        "Time limit of one POST; a timeout is retried and lowers the adaptive concurrency. Marquez stores a "
                                + "timed-out event anyway, so a re-POST stores it twice: keep this above the slowest event (a 2 MB "
                                + "event takes ~40 s). The probe of a down Marquez uses at most 10 s.")
                .define(GZIP, Type.BOOLEAN, false, LOW,
                        "Send bodies gzip-compressed (Content-Encoding: gzip), for proxies in front of Marquez that inflate them.")
                .define(HEADERS, Type.PASSWORD, null, LOW,
                        "Extra request headers as Name=value,Name2=value2, e.g. for an auth proxy; treated as a secret.")
                .define(MAX_CONNECTIONS, Type.INT, 64, Range.between(1, 4096), LOW,
                        "Keep-alive connections to Marquez, shared by all partitions.")
                .define(OUTPUT_FILE, Type.STRING, "", MEDIUM,
                        "Append events to this OpenLineage NDJSON file (one event per line) instead of POSTing them to "
                                + "Marquez, e.g. to run without one; empty sends to LINEAGEHUB_LINEAGE_URL.");
    }

    public static MarquezSettings from(EnvConfig config) {
        return new MarquezSettings(URI.create(config.getString(URL)), config.getSecret(API_KEY),
                Duration.ofMillis(config.getLong(REQUEST_TIMEOUT_MS)), config.getBoolean(GZIP),
                parseHeaders(config.getSecret(HEADERS)), config.getInt(MAX_CONNECTIONS),
                config.getPath(OUTPUT_FILE));
    }

    /** {@code <url>/api/v1/lineage}, tolerating a trailing slash in the base URL. */
    public URI lineageEndpoint() {
        return api("/api/v1/lineage");
    }

    /** {@code <url>/api/v1/namespaces?limit=1}: what the consumer asks to learn whether Marquez is back. */
    public URI probeEndpoint() {
        return api("/api/v1/namespaces?limit=1");
    }

    private URI api(String path) {
        String base = url.toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path);
    }

    static Map<String, String> parseHeaders(String value) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (value == null || value.isBlank()) {
            return headers;
        }
        for (String pair : value.split(",")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                // never echo the value: it may hold a credential
                throw new ConfigException(HEADERS + " must be Name=value pairs separated by commas");
            }
            headers.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return headers;
    }
}
