package dev.lineagehub.ingest.audit;

import dev.lineagehub.ingest.auth.Caller;
import dev.lineagehub.ingest.publish.KafkaPublisher;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * One record per write, accepted or refused: who (the key's public id, never the key), into which
 * namespace, which run and event type, and the outcome with its HTTP status. Written to the log and,
 * when an audit topic is set, to Kafka keyed by key id. An audit record that cannot be published is
 * logged, not retried: the write it describes has already been answered.
 *
 * <p>Records are queued and written by a thread of their own every {@link #FLUSH_INTERVAL}, in the
 * order they were made. The callers are HTTP event loops: a log line is formatted and written to
 * stdout under the appender's lock, so an event loop that wrote it waited for the other loop's line
 * and for the log's reader (a collector that falls behind fills the pipe), and every request on that
 * loop waited with it. The writer is not woken per record either: that would cost a context switch
 * per request. When {@link #QUEUED} records are waiting, or after {@link #close()} (which writes what
 * is queued), the caller writes its own: the audit slows the API down before it drops anything.
 */
public final class AuditLog implements AutoCloseable {

    static final int QUEUED = 10_000;
    static final Duration FLUSH_INTERVAL = Duration.ofMillis(50);
    private static final Logger LOG = LoggerFactory.getLogger("lineagehub.audit");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaPublisher publisher;
    private final String topic;
    private final Queue<Entry> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final Thread writer = new Thread(this::writeEveryInterval, "ingest-audit");
    private volatile boolean closed;

    /** @param topic empty for the log only */
    public AuditLog(KafkaPublisher publisher, String topic) {
        this.publisher = publisher;
        this.topic = topic;
        writer.setDaemon(true);
        writer.start();
    }

    public void record(Caller caller, String endpoint, String namespace, String runId, String eventType, int status, String outcome) {
        Entry entry = new Entry(Instant.now(), caller.keyId(), endpoint, namespace, runId, eventType, status, outcome);
        if (closed) {
            write(entry);
            return;
        }
        if (queued.incrementAndGet() > QUEUED) {
            queued.decrementAndGet();
            write(entry);
            return;
        }
        queue.add(entry);
        if (closed) { // close() may have written the queue out before this entry was in it
            writeQueued();
        }
    }

    private record Entry(Instant time, String keyId, String endpoint, String namespace, String runId, String eventType, int status,
                         String outcome) {
    }

    /** Once more after close, so that what was queued before it is written here, not by the closing thread. */
    private void writeEveryInterval() {
        do {
            LockSupport.parkNanos(FLUSH_INTERVAL.toNanos());
            writeQueued();
        } while (!closed);
    }

    private void writeQueued() {
        for (Entry entry = queue.poll(); entry != null; entry = queue.poll()) {
            queued.decrementAndGet();
            write(entry);
        }
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

    /** Stops the writer, then writes the records still queued (the publisher must still be open). */
    @Override
    public void close() throws InterruptedException {
        closed = true;
        LockSupport.unpark(writer);
        writer.join(TimeUnit.SECONDS.toMillis(10));
        writeQueued();
    }
}
