package dev.lineagehub.local;

import dev.lineagehub.datahub.config.DataHubSettings;
import dev.lineagehub.lineage.config.MarquezSettings;
import dev.lineagehub.otel.config.ClickHouseSettings;
import dev.lineagehub.testing.clickhouse.ClickHouseHttpFixture;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The settings of each consumer in the local run: what the user exported under the consumer's prefix,
 * then the local broker, state directory and admin port, and the sink: the given Marquez or GMS URL, or
 * a file when there is none; the embedded ClickHouse for otel-consumer.
 */
final class Sinks {

    private static final JsonFactory JSON = new JsonFactory();

    private final Path output;
    private final Map<String, String> env;
    private final ClickHouseHttpFixture clickhouse;

    Sinks(Path output, Map<String, String> env, ClickHouseHttpFixture clickhouse) {
        this.output = output;
        this.env = env;
        this.clickhouse = clickhouse;
    }

    Map<String, String> lineage(String bootstrap) {
        return urlOrFile(common(MarquezSettings.PREFIX, "lineage", 8081, bootstrap), MarquezSettings.URL,
                MarquezSettings.OUTPUT_FILE, lineageFile());
    }

    SinkReport.Output lineageOutput() {
        return output(MarquezSettings.URL, "Marquez", new SinkReport.Output("OpenLineage NDJSON in " + lineageFile(),
                () -> lines(lineageFile()) + " events"));
    }

    Map<String, String> datahub(String bootstrap) {
        return urlOrFile(common(DataHubSettings.PREFIX, "datahub", 8082, bootstrap), DataHubSettings.GMS_URL,
                DataHubSettings.OUTPUT_FILE, datahubFile());
    }

    SinkReport.Output datahubOutput() {
        return output(DataHubSettings.GMS_URL, "DataHub GMS", new SinkReport.Output("DataHub MCP file " + datahubFile()
                + "; load it with 'datahub ingest' and a 'file' source", () -> proposals(datahubFile()) + " proposals"));
    }

    /** Delivers to the sink's URL when the user exported it, otherwise writes the file. */
    private Map<String, String> urlOrFile(Map<String, String> settings, String urlVariable, String fileVariable, Path file) {
        if (!env.containsKey(urlVariable)) {
            settings.putIfAbsent(fileVariable, file.toString());
        }
        return settings;
    }

    private SinkReport.Output output(String urlVariable, String sink, SinkReport.Output file) {
        return env.containsKey(urlVariable)
                ? new SinkReport.Output(sink + " at " + env.get(urlVariable), () -> "see its UI")
                : file;
    }

    Map<String, String> otel(String bootstrap) {
        Map<String, String> settings = common(ClickHouseSettings.PREFIX, "otel", 8083, bootstrap);
        settings.put(ClickHouseSettings.URL, clickhouse.jdbcUrl());
        settings.putIfAbsent(ClickHouseSettings.LINEAGE_TOPIC, LocalRun.LINEAGE_TOPIC);
        return settings;
    }

    SinkReport.Output otelOutput() {
        return new SinkReport.Output("ClickHouse (chDB) data in " + output.resolve("clickhouse") + ", database otel",
                () -> clickhouse.query("SELECT count() FROM otel.otel_traces") + " spans, "
                        + clickhouse.query("SELECT (SELECT count() FROM otel.otel_metrics_gauge) + (SELECT count() FROM otel.otel_metrics_sum)"
                        + " + (SELECT count() FROM otel.otel_metrics_histogram)") + " metric points, "
                        + clickhouse.query("SELECT count() FROM otel.otel_logs") + " log records, "
                        + clickhouse.query("SELECT count() FROM otel.lineage_runs") + " lineage run states");
    }

    private Map<String, String> common(String prefix, String name, int adminPort, String bootstrap) {
        Map<String, String> settings = new HashMap<>();
        env.forEach((key, value) -> {
            if (key.startsWith(prefix)) {
                settings.put(key, value);
            }
        });
        settings.put(prefix + "KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        settings.putIfAbsent(prefix + "KAFKA_APPLICATION_ID", "lineage-hub-local-" + name);
        settings.putIfAbsent(prefix + "KAFKA_STATE_DIR", output.resolve("state").resolve(name).toString());
        settings.putIfAbsent(prefix + "ADMIN_PORT", String.valueOf(adminPort));
        return settings;
    }

    private Path lineageFile() {
        return output.resolve("openlineage.ndjson");
    }

    private Path datahubFile() {
        return output.resolve("datahub-mcps.json");
    }

    /** Entries of the MCP file's JSON array, read as a stream; "unreadable" while the array is still open. */
    private static String proposals(Path file) {
        try (JsonParser parser = JSON.createParser(file.toFile())) {
            long count = 0;
            if (parser.nextToken() == JsonToken.START_ARRAY) {
                while (parser.nextToken() == JsonToken.START_OBJECT) {
                    parser.skipChildren();
                    count++;
                }
            }
            return String.valueOf(count);
        } catch (IOException e) {
            return "unreadable (" + e.getMessage() + ")";
        }
    }

    private static long lines(Path file) {
        if (!Files.exists(file)) {
            return 0;
        }
        try (Stream<String> lines = Files.lines(file)) {
            return lines.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
