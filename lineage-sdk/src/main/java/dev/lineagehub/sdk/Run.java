package dev.lineagehub.sdk;


import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineage.RunEvent.EventType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * One run's state — its id, job, parent, facets, inputs and outputs — and its events. A run starts
 * once and ends once (COMPLETE or FAIL); an ended run emits nothing more. Datasets are kept once
 * each by namespace and name, the latest facets winning.
 */
final class Run {

    private final RunEvents events;
    private final Consumer<OpenLineage.RunEvent> out;
    private final UUID id;
    private final String jobName;
    private final RunEvents.Parent parent;
    private final Map<String, OpenLineage.RunFacet> facets = new LinkedHashMap<>();
    private final DatasetIo io = new DatasetIo();
    private boolean ended;

    Run(RunEvents events, Consumer<OpenLineage.RunEvent> out, String jobName, RunEvents.Parent parent) {
        if (jobName == null || jobName.isBlank()) {
            throw new IllegalArgumentException("a run needs a job name");
        }
        this.events = events;
        this.out = out;
        this.id = RunIds.next(events.clock());
        this.jobName = jobName;
        this.parent = parent;
        TraceCorrelation.current().ifPresent(ids -> facets.put("trace", events.customFacet(ids)));
    }

    public UUID id() {
        return id;
    }

    public String jobName() {
        return jobName;
    }

    /** This run as the parent of a nested one. */
    public RunEvents.Parent asParent() {
        return new RunEvents.Parent(id, jobName, parent == null ? null : parent.rootOrSelf());
    }

    public synchronized boolean ended() {
        return ended;
    }

    public synchronized void putFacets(Map<String, OpenLineage.RunFacet> more) {
        facets.putAll(more);
    }

    public synchronized void addInput(Dataset dataset) {
        io.addInput(dataset);
    }

    public synchronized void addOutput(Dataset dataset) {
        io.addOutput(dataset);
    }

    /** Takes the datasets collected before this run started; {@code pending} is empty afterwards. */
    public synchronized void take(DatasetIo pending) {
        pending.moveTo(io);
    }

    public synchronized void resetIo() {
        io.clear();
    }

    public synchronized List<Dataset> inputs() {
        return io.inputs();
    }

    public synchronized List<Dataset> outputs() {
        return io.outputs();
    }

    public synchronized void start() {
        emit(EventType.START, Map.of());
    }

    /** A RUNNING event with facets for this event only (a custom event, a heartbeat). */
    public synchronized void running(Map<String, OpenLineage.RunFacet> eventFacets) {
        if (!ended) {
            emit(EventType.RUNNING, eventFacets);
        }
    }

    /** COMPLETE, or FAIL with {@code error}; false (and nothing emitted) when the run had ended already. */
    public synchronized boolean end(OpenLineage.ErrorMessageRunFacet error, Map<String, OpenLineage.RunFacet> eventFacets) {
        if (ended) {
            return false;
        }
        ended = true;
        Map<String, OpenLineage.RunFacet> last = new LinkedHashMap<>(eventFacets);
        if (error != null) {
            last.put("errorMessage", error);
        }
        emit(error == null ? EventType.COMPLETE : EventType.FAIL, last);
        return true;
    }

    private void emit(EventType type, Map<String, OpenLineage.RunFacet> eventFacets) {
        Map<String, OpenLineage.RunFacet> all = new LinkedHashMap<>(facets);
        all.putAll(eventFacets);
        out.accept(events.event(type, id, jobName, parent, all, io.inputs(), io.outputs()));
    }
}
