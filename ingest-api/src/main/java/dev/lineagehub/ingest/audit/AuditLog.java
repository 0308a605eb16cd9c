package dev.lineagehub.ingest.audit;

import dev.lineagehub.ingest.auth.Caller;
import dev.lineagehub.ingest.publish.KafkaPublisher;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * One record per write, accepted or refused: who (the key's public id, never the key), into which
 * namespace, which run and event type, and the outcome with its HTTP status. Written to the log and,
 * when an audit topic is set, to Kafka keyed by key id. An audit record that cannot be published is
 * logged, not retried: the write it describes has already been answered.
 */
public final class AuditLog {

    private static final Logger LOG = LoggerFactory.getLogger("lineagehub.audit");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaPublisher publisher;
    private final String topic;

    /** @param topic empty for the log only */
    public AuditLog(KafkaPublisher publisher, String topic) {
        this.publisher = publisher;
        this.topic = topic;
    }

    public void record(Caller caller, String endpoint, String namespace, String runId, String eventType, int status, String outcome) {
        LOG.info("audit keyId={} endpoint={} namespace={} runId={} eventType={} status={} outcome={}",
                caller.keyId(), endpoint, namespace, runId, eventType, status, outcome);
        if (topic.isEmpty()) {
            return;
        }
        ObjectNode record = JSON.createObjectNode()
                .put("time", Instant.now().toString())
                .put("keyId", caller.keyId())
                .put("endpoint", endpoint)
                .put("namespace", namespace)
                .put("runId", runId)
                .put("eventType", eventType)
                .put("status", status)
                .put("outcome", outcome);
        publisher.publish(topic, caller.keyId().getBytes(StandardCharsets.UTF_8), record.toString().getBytes(StandardCharsets.UTF_8))
                .exceptionally(error -> {
                    LOG.warn("Audit record for key {} not published to {}: {}", caller.keyId(), topic, error.getMessage());
                    return null;
                });
    }
}
