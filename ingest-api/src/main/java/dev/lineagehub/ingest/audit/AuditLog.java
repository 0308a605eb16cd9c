package dev.lineagehub.ingest.audit;

import dev.lineagehub.ingest.auth.Caller;
import dev.lineagehub.ingest.publish.KafkaPublisher;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One record per write, accepted or refused: who (the key's public id, never the key), into which
 * namespace, which run and event type, and the outcome with its HTTP status. Written to the log and,
 * when an audit topic is set, to Kafka keyed by key id. An audit record that cannot be published is
 * logged, not retried: the write it describes has already been answered.
 *
 * <p>Records are written by a thread of their own, in the order they were made. The callers are HTTP
 * event loops: a log line is formatted and written to stdout under the appender's lock, so an event
 * loop that wrote it waited for the other loop's line and for the log's reader (a collector that falls
 * behind fills the pipe), and every request on that loop waited with it. When {@link #QUEUED} records
 * are waiting, or after {@link #close()} (which writes what is queued), the caller writes its own: the
 * audit slows the API down before it drops anything.
 */
public final class AuditLog implements AutoCloseable {

    static final int QUEUED = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger("lineagehub.audit");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaPublisher publisher;
    private final String topic;
    private final ThreadPoolExecutor writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(QUEUED), runnable -> {
                Thread thread = new Thread(runnable, "ingest-audit");
                thread.setDaemon(true);
                return thread;
            }, (record, full) -> record.run());

    /** @param topic empty for the log only */
    public AuditLog(KafkaPublisher publisher, String topic) {
        this.publisher = publisher;
        this.topic = topic;
    }

    public void record(Caller caller, String endpoint, String namespace, String runId, String eventType, int status, String outcome) {
        Entry entry = new Entry(Instant.now(), caller.keyId(), endpoint, namespace, runId, eventType, status, outcome);
        writer.execute(() -> write(entry));
    }

    private record Entry(Instant time, String keyId, String endpoint, String namespace, String runId, String eventType, int status,
                         String outcome) {
    }

    private void write(Entry entry) {
        LOG.info("audit keyId={} endpoint={} namespace={} runId={} eventType={} status={} outcome={}", entry.keyId(), entry.endpoint(),
                entry.namespace(), entry.runId(), entry.eventType(), entry.status(), entry.outcome());
        if (topic.isEmpty()) {
            return;
        }
        ObjectNode record = JSON.createObjectNode()
                .put("time", entry.time().toString())
                .put("keyId", entry.keyId())
                .put("endpoint", entry.endpoint())
                .put("namespace", entry.namespace())
                .put("runId", entry.runId())
                .put("eventType", entry.eventType())
                .put("status", entry.status())
                .put("outcome", entry.outcome());
        publisher.publish(topic, entry.keyId().getBytes(StandardCharsets.UTF_8), record.toString().getBytes(StandardCharsets.UTF_8))
                .exceptionally(error -> {
                    LOG.warn("Audit record for key {} not published to {}: {}", entry.keyId(), topic, error.getMessage());
                    return null;
                });
    }

    /** Writes the records still queued (the publisher must still be open), then stops the writer. */
    @Override
    public void close() throws InterruptedException {
        writer.shutdown();
        if (!writer.awaitTermination(10, TimeUnit.SECONDS)) {
            LOG.warn("{} audit records still queued after 10 s were not written", writer.getQueue().size());
            writer.shutdownNow();
        }
    }
}
