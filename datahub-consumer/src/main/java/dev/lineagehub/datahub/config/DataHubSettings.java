package dev.lineagehub.datahub.config;

import static org.apache.kafka.common.config.ConfigDef.Importance.HIGH;
import static org.apache.kafka.common.config.ConfigDef.Importance.LOW;
import static org.apache.kafka.common.config.ConfigDef.Importance.MEDIUM;

import dev.lineagehub.datahub.mapping.MappingOptions;
import dev.lineagehub.runtime.EnvConfig;
import dev.lineagehub.runtime.Validators;

import com.linkedin.common.FabricType;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/** How datahub-consumer reaches GMS and names what it writes. All variables start with {@code DATAHUB_}. */
public record DataHubSettings(URI gmsUrl, String token, Duration requestTimeout, int maxConnections,
                              MappingOptions mapping, Duration cacheTtl, int cacheMaxEntries, Optional<Path> outputFile,
                              boolean batchProposals) {

    public static final String PREFIX = "LINEAGEHUB_DATAHUB_";
    public static final String GMS_URL = PREFIX + "GMS_URL";
    public static final String TOKEN = PREFIX + "TOKEN";
    public static final String REQUEST_TIMEOUT_MS = PREFIX + "REQUEST_TIMEOUT_MS";
    public static final String MAX_CONNECTIONS = PREFIX + "MAX_CONNECTIONS";
    public static final String ENV = PREFIX + "ENV";
    public static final String PLATFORM_INSTANCE = PREFIX + "PLATFORM_INSTANCE";
    public static final String LOWERCASE_URNS = PREFIX + "LOWERCASE_URNS";
    public static final String ORCHESTRATOR = PREFIX + "ORCHESTRATOR";
    public static final String DEFAULT_ORCHESTRATOR = PREFIX + "DEFAULT_ORCHESTRATOR";
    public static final String CACHE_TTL_MS = PREFIX + "CACHE_TTL_MS";
    public static final String CACHE_MAX_ENTRIES = PREFIX + "CACHE_MAX_ENTRIES";
    public static final String OUTPUT_FILE = PREFIX + "OUTPUT_FILE";
    public static final String BATCH_PROPOSALS = PREFIX + "BATCH_PROPOSALS";

    public static void define(ConfigDef def) {
        def.define(GMS_URL, Type.STRING, "http://localhost:8080", Validators.uri("http", "https"), HIGH,
                        "DataHub GMS base URL; proposals are POSTed to <url>/aspects?action=ingestProposalBatch (or ingestProposal).")
                .define(TOKEN, Type.PASSWORD, null, HIGH,
                        "DataHub personal access token, sent as 'Authorization: Bearer <token>'.")
                .define(REQUEST_TIMEOUT_MS, Type.LONG, 30_000L, Range.atLeast(1000), MEDIUM,
                        "Time limit of one request to GMS (whole seconds); a timeout is retried and lowers the adaptive "
                                + "concurrency. GMS may still store a timed-out proposal, and a run event sent again is another "
                                + "point in the run's history: keep this well above GMS's slowest answers.")
                .define(MAX_CONNECTIONS, Type.INT, 64, Range.between(1, 4096), LOW,
                        "Connections to GMS, shared by all partitions (the DataHub client opens 5 per emitter; this many / 5 emitters are used).")
                .define(ENV, Type.STRING, "PROD", ValidString.in(fabricTypes()), MEDIUM,
                        "Environment (fabric) of dataset and flow URNs.")
                .define(PLATFORM_INSTANCE, Type.STRING, "", MEDIUM,
                        "Platform instance: prefixes dataset names and is the cluster of DataFlow URNs; empty for none.")
                .define(LOWERCASE_URNS, Type.BOOLEAN, false, MEDIUM,
                        "Lower-case dataset names in URNs, so that URNs from other sources with other casing match.")
                .define(ORCHESTRATOR, Type.STRING, "", MEDIUM,
                        "Orchestrator of every DataFlow; empty detects it from the jobType facet, the processing_engine "
                                + "facet or the producer URL.")
                .define(DEFAULT_ORCHESTRATOR, Type.STRING, "openlineage", LOW,
                        "Orchestrator used when it cannot be detected.")
                .define(CACHE_TTL_MS, Type.LONG, 3_600_000L, Range.atLeast(0), LOW,
                        "How long an unchanged dataset, flow or job aspect is not sent again; 0 sends every aspect every time.")
                .define(CACHE_MAX_ENTRIES, Type.INT, 100_000, Range.atLeast(1), LOW,
                        "Most aspects remembered by that cache; the least recently used are forgotten first.")
                .define(OUTPUT_FILE, Type.STRING, "", MEDIUM,
                        "Write proposals to this file in DataHub's MCP file format (a JSON array; load it with 'datahub ingest' "
                                + "and a 'file' source) instead of sending them to GMS, e.g. to run without one. The file is rewritten at each start and "
                                + "complete once the consumer stops. Empty sends to LINEAGEHUB_DATAHUB_GMS_URL.")
                .define(BATCH_PROPOSALS, Type.BOOLEAN, true, MEDIUM,
                        "Send each event's proposals to GMS in one request (its ingestProposalBatch action, in the order they must be "
                                + "stored); a GMS without it is detected and sent one proposal per request. false sends one per request.");
    }

    public static DataHubSettings from(EnvConfig config) {
        MappingOptions mapping = new MappingOptions(FabricType.valueOf(config.getString(ENV)),
                config.getString(PLATFORM_INSTANCE), config.getBoolean(LOWERCASE_URNS),
                config.getString(ORCHESTRATOR), config.getString(DEFAULT_ORCHESTRATOR));
        return new DataHubSettings(URI.create(config.getString(GMS_URL)), config.getSecret(TOKEN),
                Duration.ofMillis(config.getLong(REQUEST_TIMEOUT_MS)), config.getInt(MAX_CONNECTIONS), mapping,
                Duration.ofMillis(config.getLong(CACHE_TTL_MS)), config.getInt(CACHE_MAX_ENTRIES),
                config.getPath(OUTPUT_FILE), config.getBoolean(BATCH_PROPOSALS));
    }

    private static String[] fabricTypes() {
        return Arrays.stream(FabricType.values()).filter(t -> t != FabricType.$UNKNOWN).map(Enum::name).toArray(String[]::new);
    }
}
