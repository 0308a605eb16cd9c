package dev.lineagehub.otel.decode;

import dev.lineagehub.openlineage.EventKind;
import dev.lineagehub.openlineage.OpenLineageEvent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code lineage_runs} row per OpenLineage run state change, with the trace and span of the run
 * when a run facet carries them ({@code traceId}/{@code trace_id} and {@code spanId}/{@code span_id}
 * in any run facet), so runs can be joined with {@code otel_traces} on TraceId. Dataset and job
 * events change no run state and give no row; invalid events are refused by the shared parser.
 */
public final class LineageRunRows {

    public static final String TABLE = "lineage_runs";
    private static final ObjectMapper JSON = new ObjectMapper();

    private LineageRunRows() {
    }

    public static List<TableRow> of(byte[] value) {
        OpenLineageEvent event = OpenLineageEvent.parse(value);
        if (event.kind() != EventKind.RUN) {
            return List.of();
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(event.bytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        JsonNode facets = tree.path("run").path("facets");
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("EventTime", event.eventTime()); // an Instant: epoch time, see EpochTime
        row.put("EventType", event.eventType().orElse(""));
        row.put("RunId", event.runId().orElse(""));
        row.put("JobNamespace", event.namespace());
        row.put("JobName", event.name());
        row.put("ParentRunId", facets.path("parent").path("run").path("runId").asText(""));
        row.put("TraceId", fromAnyFacet(facets, "traceId", "trace_id"));
        row.put("SpanId", fromAnyFacet(facets, "spanId", "span_id"));
        row.put("Producer", event.producer());
        row.put("Inputs", names(tree.path("inputs")));
        row.put("Outputs", names(tree.path("outputs")));
        return List.of(new TableRow(TABLE, row));
    }

    public static String createStatement(String database) {
        return "CREATE TABLE IF NOT EXISTS " + database + "." + TABLE + " (\n"
                + "    EventTime DateTime64(3) CODEC(Delta, ZSTD(1)),\n"
                + "    EventType LowCardinality(String) CODEC(ZSTD(1)),\n"
                + "    RunId String CODEC(ZSTD(1)),\n"
                + "    JobNamespace LowCardinality(String) CODEC(ZSTD(1)),\n"
                + "    JobName String CODEC(ZSTD(1)),\n"
                + "    ParentRunId String CODEC(ZSTD(1)),\n"
                + "    TraceId String CODEC(ZSTD(1)),\n"
                + "    SpanId String CODEC(ZSTD(1)),\n"
                + "    Producer String CODEC(ZSTD(1)),\n"
                + "    Inputs Array(String) CODEC(ZSTD(1)),\n"
                + "    Outputs Array(String) CODEC(ZSTD(1)),\n"
                + "    INDEX idx_trace_id TraceId TYPE bloom_filter(0.001) GRANULARITY 1,\n"
                + "    INDEX idx_run_id RunId TYPE bloom_filter(0.001) GRANULARITY 1\n"
                + ") ENGINE = MergeTree PARTITION BY toDate(EventTime) ORDER BY (JobNamespace, JobName, EventTime)\n"
                + "SETTINGS non_replicated_deduplication_window = 10000";
    }

    private static String fromAnyFacet(JsonNode facets, String... keys) {
        Iterator<JsonNode> each = facets.elements();
        while (each.hasNext()) {
            JsonNode facet = each.next();
            for (String key : keys) {
                if (facet.path(key).isTextual()) {
                    return facet.path(key).asText();
                }
            }
        }
        return "";
    }

    /** Datasets as {@code namespace/name}. */
    private static List<String> names(JsonNode datasets) {
        List<String> names = new ArrayList<>();
        datasets.forEach(d -> names.add(d.path("namespace").asText("") + "/" + d.path("name").asText("")));
        return names;
    }
}
