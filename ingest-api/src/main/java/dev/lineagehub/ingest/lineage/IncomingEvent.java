package dev.lineagehub.ingest.lineage;

import dev.lineagehub.openlineage.OpenLineageEvent;

import java.util.Set;

/**
 * One OpenLineage event of a request, validated: what it is published with (its Kafka key, its bytes)
 * and what isolation and the audit need (every namespace it names, its run and type).
 */
public record IncomingEvent(OpenLineageEvent event, String key, Set<String> namespaces) {

    public String runId() {
        return event.runId().orElse("");
    }

    public String eventType() {
        return event.eventType().orElse(event.kind().name());
    }
}
