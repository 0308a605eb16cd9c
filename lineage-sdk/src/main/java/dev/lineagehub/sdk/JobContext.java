package dev.lineagehub.sdk;


import io.openlineage.client.OpenLineage;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;

/**
 * One run of a job, open from {@link LineageHub#start} to {@link #close()}: START when it opens,
 * COMPLETE when it closes — or FAIL, with the message and stack trace in the error facet, when
 * {@link #fail} was called. Java's {@code close()} cannot see an exception leaving the try block, so
 * either catch and call {@link #fail(Throwable)}, or use {@link LineageHub#run}, which does.
 */
public final class JobContext implements AutoCloseable {

    static final String EVENT_FACET = "lineagehub_event";
    static final String ARTIFACTS_FACET = "lineagehub_artifacts";

    private final LineageHub hub;
    private final Run run;
    private final ScheduledFuture<?> heartbeat;
    private final List<Map<String, String>> artifacts = new ArrayList<>();
    private volatile OpenLineage.ErrorMessageRunFacet failure;

    JobContext(LineageHub hub, Run run) {
        this.hub = hub;
        this.run = run;
        run.start();
        this.heartbeat = hub.heartbeat(() -> run.running(Map.of()));
    }

    public UUID runId() {
        return run.id();
    }

    public String jobName() {
        return run.jobName();
    }

    public JobContext addInput(Dataset dataset) {
        run.addInput(dataset);
        return this;
    }

    public JobContext addOutput(Dataset dataset) {
        run.addOutput(dataset);
        return this;
    }

    /** A RUNNING event carrying {@code {type, data}} in a {@code lineagehub_event} run facet (metrics, progress). */
    public void logEvent(String type, Map<String, ?> data) {
        if (type == null || type.isBlank()) {
            throw new IllegalArgumentException("an event needs a type");
        }
        run.running(Map.of(EVENT_FACET, hub.events().customFacet(Map.of("type", type, "data", data == null ? Map.of() : data))));
    }

    /**
     * Records that this run wrote a new snapshot of {@code table} (a dataset in the hub's namespace)
     * at {@code uri}: an output with its schema (column → type), storage (the URI's scheme, the
     * format) and version (the snapshot's URI) facets.
     */
    public Dataset registerSnapshot(String table, URI uri, String format, Map<String, String> schema) {
        if (uri == null) {
            throw new IllegalArgumentException("a snapshot of " + table + " needs the URI it was written to");
        }
        Dataset snapshot = hub.events().snapshot(table, uri, format, schema);
        run.addOutput(snapshot);
        return snapshot;
    }

    /** Links a log (a local path or a URI) to the run; it is named in the completion event's {@code lineagehub_artifacts} facet. */
    public void attachLog(String pathOrUri) {
        if (pathOrUri == null || pathOrUri.isBlank()) {
            throw new IllegalArgumentException("attachLog needs a path or a URI");
        }
        String uri = pathOrUri.contains("://") ? pathOrUri : Path.of(pathOrUri).toAbsolutePath().toUri().toString();
        synchronized (artifacts) {
            artifacts.add(Map.of("type", "log", "uri", uri));
        }
    }

    /** Marks the run failed: closing emits FAIL with this message. */
    public void fail(String message) {
        failure = hub.events().error(message == null || message.isBlank() ? "failed" : message, null);
    }

    /** Marks the run failed by {@code cause}: closing emits FAIL with its message and stack trace. */
    public void fail(Throwable cause) {
        failure = hub.events().error(String.valueOf(cause), cause);
    }

    /** A nested stage: a child run (job {@code parent.stage}) carrying this run in its parent facet; close it before this one. */
    public JobContext stage(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a stage needs a name");
        }
        return new JobContext(hub, new Run(hub.events(), hub::submit, run.jobName() + "." + name, run.asParent()));
    }

    /** COMPLETE (or FAIL if marked); a closed context does nothing more. */
    @Override
    public void close() {
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
        List<Map<String, String>> linked;
        synchronized (artifacts) {
            linked = List.copyOf(artifacts);
        }
        RunEvents events = hub.events();
        run.end(failure, linked.isEmpty() ? Map.of() : Map.of(ARTIFACTS_FACET, events.customFacet(Map.of("artifacts", linked))));
    }
}
