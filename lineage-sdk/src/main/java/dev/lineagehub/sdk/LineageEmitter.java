package dev.lineagehub.sdk;

import io.openlineage.client.OpenLineage;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The worker contract: what a worker's loop calls around each unit of work, whichever system the
 * lineage goes to. Obtain one from {@link LineageHub#emitter(String)}; the hub's transport decides
 * where the events go (Kafka, HTTP, or DataHub directly), the worker's code does not change.
 *
 * <p>State rules: inputs and outputs are collected for the current run (those added before
 * {@link #startRun} belong to the run it starts) and are cleared when the run completes or fails;
 * {@link #resetIo()} clears them within a run. Misuse (a blank dataset, completing a run that was never
 * started) throws {@link IllegalArgumentException}; failing to deliver an event never throws: it is
 * retried in the background within the hub's bound, then logged as a warning and counted as dropped.
 *
 * <p>Threads: an emitter may be shared. The current run and what is collected for it are the calling
 * thread's, so threads sharing one emitter each run their own units of work (start, datasets,
 * complete or fail on the same thread); a run started on one thread is not seen by another, which
 * fails it by its id ({@link #failRun(String, UUID)}) if it must.
 */
public interface LineageEmitter {

    /**
     * Starts a new run (a new UUIDv7 run id) and emits START with the inputs and outputs collected so far.
     *
     * @param jobStage  overrides the emitter's stage for this run: the job is {@code name.stage}; null keeps it
     * @param runFacets facets for every event of this run (null: those set by {@link #setRunFacets})
     */
    void startRun(String jobStage, Map<String, OpenLineage.RunFacet> runFacets);

    default void startRun() {
        startRun(null, null);
    }

    /** Emits COMPLETE for the current run with its inputs and outputs, and ends it. */
    void completeRun();

    /**
     * Emits FAIL with the error message, and ends the run if it is the current one.
     *
     * @param runId the run that failed; null for the current run
     */
    void failRun(String errorMessage, UUID runId);

    void resetIo();

    void setRunFacets(Map<String, OpenLineage.RunFacet> runFacets);

    void addInput(Dataset dataset);

    void addOutput(Dataset dataset);

    /** The producer URI every event carries (workers put it in the facets they build). */
    URI producer();

    /** The current run's id, or null between runs. */
    UUID runId();

    List<Dataset> inputs();

    List<Dataset> outputs();
}
