package dev.lineagehub.sdk;

import dev.lineagehub.sdk.internal.DatasetIo;
import dev.lineagehub.sdk.internal.Run;
import dev.lineagehub.sdk.internal.RunEvents;

import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineage.RunEvent.EventType;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The {@link LineageEmitter} of a hub: one job (and optional stage), one run at a time. Which system
 * its events reach is the hub's transport — the same class serves the OpenLineage and the DataHub
 * emitters, so both keep exactly the same state rules.
 */
final class RunEmitter implements LineageEmitter {

    private final RunEvents events;
    private final Consumer<OpenLineage.RunEvent> out;
    private final String jobName;
    private final String stage;
    private final DatasetIo next = new DatasetIo();
    private final Map<String, OpenLineage.RunFacet> nextFacets = new LinkedHashMap<>();
    private Run current;

    RunEmitter(RunEvents events, Consumer<OpenLineage.RunEvent> out, String jobName, String stage) {
        if (jobName == null || jobName.isBlank()) {
            throw new IllegalArgumentException("an emitter needs a job name");
        }
        this.events = events;
        this.out = out;
        this.jobName = jobName;
        this.stage = blankToNull(stage);
    }

    @Override
    public synchronized void startRun(String jobStage, Map<String, OpenLineage.RunFacet> runFacets) {
        if (current != null) {
            throw new IllegalArgumentException("run " + current.id() + " of " + current.jobName()
                    + " is still open: complete or fail it before starting another");
        }
        String runStage = jobStage == null || jobStage.isBlank() ? stage : jobStage;
        Run run = new Run(events, out, runStage == null ? jobName : jobName + "." + runStage, null);
        run.putFacets(runFacets == null ? nextFacets : runFacets);
        run.take(next);
        nextFacets.clear();
        current = run;
        run.start();
    }

    @Override
    public synchronized void completeRun() {
        open("complete").end(null, Map.of());
        current = null;
    }

    @Override
    public synchronized void failRun(String errorMessage, UUID runId) {
        String message = errorMessage == null || errorMessage.isBlank() ? "failed" : errorMessage;
        if (runId == null || current != null && runId.equals(current.id())) {
            open("fail").end(events.error(message, null), Map.of());
            current = null;
        } else {
            // A run this worker started earlier (and lost track of) fails on its own id, without this run's state.
            out.accept(events.event(EventType.FAIL, runId, stage == null ? jobName : jobName + "." + stage, null,
                    Map.of("errorMessage", events.error(message, null)), List.of(), List.of()));
        }
    }

    @Override
    public synchronized void resetIo() {
        if (current != null) {
            current.resetIo();
        }
        next.clear();
    }

    @Override
    public synchronized void setRunFacets(Map<String, OpenLineage.RunFacet> runFacets) {
        if (runFacets == null) {
            throw new IllegalArgumentException("run facets must not be null (pass an empty map to add none)");
        }
        if (current != null) {
            current.putFacets(runFacets);
        } else {
            nextFacets.putAll(runFacets);
        }
    }

    @Override
    public synchronized void addInput(Dataset dataset) {
        checked(dataset);
        if (current != null) {
            current.addInput(dataset);
        } else {
            next.addInput(dataset);
        }
    }

    @Override
    public synchronized void addOutput(Dataset dataset) {
        checked(dataset);
        if (current != null) {
            current.addOutput(dataset);
        } else {
            next.addOutput(dataset);
        }
    }

    @Override
    public URI producer() {
        return events.producer();
    }

    @Override
    public synchronized UUID runId() {
        return current == null ? null : current.id();
    }

    @Override
    public synchronized List<Dataset> inputs() {
        return current == null ? next.inputs() : current.inputs();
    }

    @Override
    public synchronized List<Dataset> outputs() {
        return current == null ? next.outputs() : current.outputs();
    }

    private Run open(String verb) {
        if (current == null) {
            throw new IllegalArgumentException("no run to " + verb + ": call startRun first");
        }
        return current;
    }

    private static void checked(Dataset dataset) {
        if (dataset == null) {
            throw new IllegalArgumentException("dataset must not be null");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
