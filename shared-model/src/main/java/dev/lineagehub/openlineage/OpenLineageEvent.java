package dev.lineagehub.openlineage;

import dev.lineagehub.protocol.TransportKey;

import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineageClientUtils;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A validated OpenLineage event: the few fields every consumer routes on, plus the original bytes.
 *
 * <p>Forwarders send {@link #bytes()} unchanged, so parsing stays a single streaming pass; a consumer
 * that maps the event (DataHub) asks for the typed OpenLineage model with {@link #runEvent()}.
 */
public final class OpenLineageEvent {

    private static final ObjectMapper MODEL_MAPPER = OpenLineageClientUtils.newObjectMapper();

    private final EventKind kind;
    private final String eventType;
    private final Instant eventTime;
    private final String producer;
    private final String runId;
    private final String namespace;
    private final String name;
    private final String transportKey;
    private final List<String> namespaces;
    private final byte[] bytes;

    OpenLineageEvent(EventKind kind, String eventType, Instant eventTime, String producer,
                     String runId, String namespace, String name, String transportKey, List<String> namespaces, byte[] bytes) {
        this.kind = Objects.requireNonNull(kind);
        this.eventType = eventType;
        this.eventTime = Objects.requireNonNull(eventTime);
        this.producer = Objects.requireNonNull(producer);
        this.runId = runId;
        this.namespace = Objects.requireNonNull(namespace);
        this.name = Objects.requireNonNull(name);
        this.transportKey = Objects.requireNonNull(transportKey);
        this.namespaces = Objects.requireNonNull(namespaces);
        this.bytes = Objects.requireNonNull(bytes);
    }

    /** Parses and validates one record value; see {@link OpenLineageParser}. */
    public static OpenLineageEvent parse(byte[] value) {
        return OpenLineageParser.parse(value);
    }

    public EventKind kind() {
        return kind;
    }

    /** START, RUNNING, COMPLETE, ABORT, FAIL, OTHER; empty when the producer left it out. */
    public Optional<String> eventType() {
        return Optional.ofNullable(eventType);
    }

    public Instant eventTime() {
        return eventTime;
    }

    public String producer() {
        return producer;
    }

    /** {@code run.runId}; present for run events only. */
    public Optional<String> runId() {
        return Optional.ofNullable(runId);
    }

    /** The job's namespace, or the dataset's for a dataset event. */
    public String namespace() {
        return namespace;
    }

    /** The job's name, or the dataset's for a dataset event. */
    public String name() {
        return name;
    }

    /**
     * What must stay in order: the run for run events (START before COMPLETE), otherwise the job or
     * dataset the event describes.
     */
    public String orderingKey() {
        return runId != null ? runId : kind.name() + ':' + namespace + '/' + name;
    }

    /** The Kafka key the OpenLineage Kafka transport would give this event (see {@link TransportKey}). */
    public String transportKey() {
        return transportKey;
    }

    /** Every namespace the event names: its job's (or its dataset's) first, then its inputs' and outputs'. */
    public List<String> namespaces() {
        return namespaces;
    }

    /** The record value exactly as it was read. Not copied: callers must not modify it. */
    public byte[] bytes() {
        return bytes;
    }

    /**
     * Binds a run event to the OpenLineage client's typed model (generated from the OpenLineage JSON
     * schema), which checks the shape of known facets too.
     *
     * @throws InvalidEventException with {@link InvalidEventException.Reason#WRONG_TYPE} when it does not bind
     */
    public OpenLineage.RunEvent runEvent() {
        return bind(EventKind.RUN, OpenLineage.RunEvent.class);
    }

    /** A job event bound to the typed model, as {@link #runEvent()}. */
    public OpenLineage.JobEvent jobEvent() {
        return bind(EventKind.JOB, OpenLineage.JobEvent.class);
    }

    /** A dataset event bound to the typed model, as {@link #runEvent()}. */
    public OpenLineage.DatasetEvent datasetEvent() {
        return bind(EventKind.DATASET, OpenLineage.DatasetEvent.class);
    }

    private <T> T bind(EventKind expected, Class<T> type) {
        if (kind != expected) {
            throw new IllegalStateException("not a " + expected + " event: " + kind);
        }
        try {
            return MODEL_MAPPER.readValue(bytes, type);
        } catch (JsonProcessingException e) {
            throw new InvalidEventException(InvalidEventException.Reason.WRONG_TYPE,
                    "event does not match the OpenLineage model: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return kind + " " + (eventType == null ? "" : eventType + " ") + namespace + '/' + name
                + (runId == null ? "" : " run " + runId);
    }
}
