package dev.lineagehub.sdk;


import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineage.RunEvent.EventType;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The {@link LineageEmitter} of a hub: one job (and optional stage), one run at a time per thread.
 * Which system its events reach is the hub's transport — the same class serves the OpenLineage and
 * the DataHub emitters, so both keep exactly the same state rules.
 *
 * <p>The current run, and the datasets and facets collected for the next one, belong to the calling
 * thread: workers that share one emitter each run their own units of work, and one thread's datasets
 * never reach another's run. A thread's state is dropped once it holds nothing.
 */
final class RunEmitter implements LineageEmitter {

    private final RunEvents events;
    private final Consumer<OpenLineage.RunEvent> out;
    private final String jobName;
    private final String stage;
    private final ThreadLocal<State> threads = ThreadLocal.withInitial(State::new);

    /** One thread's run and what it collected before starting one. */
    private static final class State {
        private final DatasetIo next = new DatasetIo();
        private final Map<String, OpenLineage.RunFacet> nextFacets = new LinkedHashMap<>();
        private Run current;
    }

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
    public void startRun(String jobStage, Map<String, OpenLineage.RunFacet> runFacets) {
        State state = threads.get();
        Run current = state.current;
        if (current != null) {
            throw new IllegalArgumentException("run " + current.id() + " of " + current.jobName()
                    + " is still open: complete or fail it before starting another");
        }
        String runStage = jobStage == null || jobStage.isBlank() ? stage : jobStage;
        Run run = new Run(events, out, runStage == null ? jobName : jobName + "." + runStage, null);
        run.putFacets(runFacets == null ? state.nextFacets : runFacets);
        run.take(state.next);
        state.nextFacets.clear();
        state.current = run;
        run.start();
    }

    @Override
    public void completeRun() {
        open("complete").end(null, Map.of());
        ended();
    }

    @Override
    public void failRun(String errorMessage, UUID runId) {
        String message = errorMessage == null || errorMessage.isBlank() ? "failed" : errorMessage;
        Run current = threads.get().current;
        if (runId == null || current != null && runId.equals(current.id())) {
            open("fail").end(events.error(message, null), Map.of());
            ended();
        } else {
            // A run this worker started earlier (and lost track of) fails on its own id, without this run's state.
            out.accept(events.event(EventType.FAIL, runId, stage == null ? jobName : jobName + "." + stage, null,
                    Map.of("errorMessage", events.error(message, null)), List.of(), List.of()));
        }
    }

    @Override
    public void resetIo() {
        State state = threads.get();
        if (state.current != null) {
            state.current.resetIo();
        }
        state.next.clear();
    }

    @Override
    public void setRunFacets(Map<String, OpenLineage.RunFacet> runFacets) {
        if (runFacets == null) {
            throw new IllegalArgumentException("run facets must not be null (pass an empty map to add none)");
        }
        State state = threads.get();
        if (state.current != null) {
            state.current.putFacets(runFacets);
        } else {
            state.nextFacets.putAll(runFacets);
        }
    }

    @Override
    public void addInput(Dataset dataset) {
        checked(dataset);
        State state = threads.get();
        if (state.current != null) {
            state.current.addInput(dataset);
        } else {
            state.next.addInput(dataset);
        }
    }

    @Override
    public void addOutput(Dataset dataset) {
        checked(dataset);
        State state = threads.get();
        if (state.current != null) {
            state.current.addOutput(dataset);
        } else {
            state.next.addOutput(dataset);
        }
    }

    @Override
    public URI producer() {
        return events.producer();
    }

    @Override
    public UUID runId() {
        Run current = threads.get().current;
        return current == null ? null : current.id();
    }

    @Override
    public List<Dataset> inputs() {
        State state = threads.get();
        return state.current == null ? state.next.inputs() : state.current.inputs();
    }

    @Override
    public List<Dataset> outputs() {
        State state = threads.get();
        return state.current == null ? state.next.outputs() : state.current.outputs();
    }

    private Run open(String verb) {
        Run current = threads.get().current;
        if (current == null) {
            throw new IllegalArgumentException("no run to " + verb + " on this thread: call startRun first");
        }
        return current;
    }

    /** The thread's run ended; what it collected went with it, so the thread holds nothing. */
    private void ended() {
        threads.remove();
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
