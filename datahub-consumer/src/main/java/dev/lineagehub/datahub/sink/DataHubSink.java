package dev.lineagehub.datahub.sink;

import dev.lineagehub.datahub.config.DataHubSettings;
import dev.lineagehub.datahub.mapping.InvalidUrnException;
import dev.lineagehub.datahub.mapping.MappedEvent;
import dev.lineagehub.datahub.mapping.RunEventMapper;
import dev.lineagehub.delivery.HttpFailures;
import dev.lineagehub.delivery.PermanentDeliveryException;
import dev.lineagehub.delivery.RetryableDeliveryException;
import dev.lineagehub.delivery.Sink;
import dev.lineagehub.delivery.deadletter.DeadLetters;
import dev.lineagehub.openlineage.OpenLineageEvent;

import com.linkedin.mxe.MetadataChangeProposal;

import datahub.client.Callback;
import datahub.client.Emitter;
import datahub.client.MetadataWriteResponse;
import datahub.client.file.FileEmitter;
import datahub.client.file.FileEmitterConfig;
import datahub.client.rest.RestEmitter;
import datahub.event.EventFormatter;
import datahub.event.MetadataChangeProposalWrapper;
import datahub.shaded.org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import datahub.shaded.org.apache.hc.core5.http.Header;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Writes one OpenLineage event to GMS as typed proposals in the stages' order: datasets, then the flow and job
 * templates (with their patches), then the run's DataProcessInstance. Where GMS serves batches, the whole event
 * is one {@link GmsBatches} request, which GMS stores in that order; otherwise each proposal is its own request
 * and a stage starts only after GMS acknowledged every proposal of the one before, so nothing references an
 * entity GMS has not stored.
 */
public final class DataHubSink implements Sink<OpenLineageEvent>, AutoCloseable {

    private static final int CONNECTIONS_PER_EMITTER = 5;
    private static final EventFormatter FORMATTER = new EventFormatter();

    private final List<Emitter> emitters;
    private final AtomicInteger nextEmitter = new AtomicInteger();
    private final RunEventMapper mapper;
    private final AspectCache cache;
    private final AtomicLong proposalsSent = new AtomicLong();
    private final Duration callTimeout;
    private final Executor executor;
    /** GMS's batch ingestion, or null where each proposal is its own request (a file, or LINEAGEHUB_DATAHUB_BATCH_PROPOSALS off). */
    private final GmsBatches batches;

    /** @param executor runs the stages after the first, and the probe: never the client's I/O thread */
    public DataHubSink(DataHubSettings settings, Executor executor) throws IOException {
        this.executor = executor;
        this.emitters = settings.outputFile().isPresent() ? List.of(fileEmitter(settings.outputFile().get())) : restEmitters(settings);
        // Under a saturated pool some calls were seen never to call back (docs/benchmarks.md); a call
        // that has not answered by then is failed and retried, never waited on forever.
        this.callTimeout = settings.requestTimeout().multipliedBy(2);
        this.mapper = new RunEventMapper(settings.mapping());
        this.cache = new AspectCache(settings.cacheTtl(), settings.cacheMaxEntries(), System::nanoTime);
        this.batches = settings.outputFile().isEmpty() && settings.batchProposals()
                ? new GmsBatches(settings.gmsUrl(), settings.token(), settings.requestTimeout(), executor) : null;
    }

    @Override
    public CompletionStage<Void> deliver(OpenLineageEvent event) {
        // Mapping is CPU work, so it runs on the executor: the runtime may call deliver from the I/O
        // thread that answered the key's previous record.
        return CompletableFuture.supplyAsync(() -> map(event), executor)
                .thenCompose(mapped -> batches != null && batches.available() ? emitBatch(mapped) : emitStages(mapped));
    }

    /**
     * The whole event in one request: what the cache does not hold, in the stages' order (datasets, flow, job and
     * its patches, the run), which GMS keeps within a batch. A GMS without batches gets the stages instead.
     */
    private CompletableFuture<Void> emitBatch(MappedEvent mapped) {
        List<MetadataChangeProposalWrapper<?>> upserts = new ArrayList<>();
        mapped.datasets().stream().filter(p -> !cache.isFresh(p)).forEach(upserts::add);
        mapped.templates().stream().filter(p -> !cache.isFresh(p)).forEach(upserts::add);
        List<MetadataChangeProposal> patches = mapped.patches().stream().filter(p -> !cache.isFresh(p)).toList();
        List<MetadataChangeProposal> batch = new ArrayList<>();
        try {
            for (MetadataChangeProposalWrapper<?> upsert : upserts) {
                batch.add(FORMATTER.convert(upsert));
            }
            batch.addAll(patches);
            for (MetadataChangeProposalWrapper<?> run : mapped.instance()) {
                batch.add(FORMATTER.convert(run));
            }
        } catch (IOException e) {
            return CompletableFuture.failedFuture(new PermanentDeliveryException(DeadLetters.PROCESSING_ERROR,
                    "the event's proposals cannot be written: " + e, "not sent", e));
        }
        if (batch.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        proposalsSent.addAndGet(batch.size());
        String what = mapped.instance().isEmpty() ? batch.get(0).getEntityUrn().toString() : mapped.instance().get(0).getEntityUrn();
        return batches.send(batch, what).thenComposeAsync(stored -> {
            if (!stored) {
                return emitStages(mapped);
            }
            upserts.forEach(cache::acknowledged);
            patches.forEach(cache::acknowledged);
            return CompletableFuture.completedFuture(null);
        }, executor);
    }

    private MappedEvent map(OpenLineageEvent event) {
        try {
            return switch (event.kind()) {
                case RUN -> mapper.map(event.runEvent());
                case JOB -> mapper.map(event.jobEvent());
                case DATASET -> mapper.map(event.datasetEvent());
            };
        } catch (InvalidUrnException invalid) {
            throw new PermanentDeliveryException(InvalidUrnException.REASON, invalid.getMessage(), "not sent", invalid);
        }
    }

    /**
     * Datasets, flows and jobs rarely change and may be cached; the run's own aspects are always sent.
     * Each stage is acknowledged before the next references it, as GMS creates what it has not seen yet.
     */
    private CompletableFuture<Void> emitStages(MappedEvent mapped) {
        return emitAll(mapped.datasets(), true)
                .thenComposeAsync(ignored -> emitAll(mapped.flows(), true), executor)
                .thenComposeAsync(ignored -> CompletableFuture.allOf(emitAll(mapped.jobs(), true),
                        emitAll(mapped.patches(), cache::isFresh, cache::acknowledged, this::emit)), executor)
                .thenComposeAsync(ignored -> emitAll(mapped.instance(), false), executor);
    }

    /** GMS is up when it serves its {@code /config}, as the DataHub client's own connection test asks. */
    @Override
    public CompletionStage<Void> probe() {
        return CompletableFuture.runAsync(() -> {
            try {
                if (!emitters.get(0).testConnection()) {
                    throw new RetryableDeliveryException("DataHub GMS did not answer its /config", "probe");
                }
            } catch (IOException | ExecutionException e) {
                throw new RetryableDeliveryException("DataHub GMS probe failed: " + e, "probe");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RetryableDeliveryException("DataHub GMS probe interrupted", "probe");
            }
        }, executor);
    }

    private static List<Emitter> restEmitters(DataHubSettings settings) {
        // RestEmitter always builds its own connection pool (5 connections per host) and replaces any
        // given to it, so more connections take more emitters, used in turn.
        int emitterCount = Math.max(1, (settings.maxConnections() + CONNECTIONS_PER_EMITTER - 1) / CONNECTIONS_PER_EMITTER);
        List<Emitter> emitters = new ArrayList<>();
        for (int i = 0; i < emitterCount; i++) {
            emitters.add(RestEmitter.create(builder -> builder
                    .server(settings.gmsUrl().toString())
                    .token(settings.token())
                    .timeoutSec((int) Math.max(1, settings.requestTimeout().toSeconds()))
                    // Retries are ours (backoff, Retry-After, no dead-lettering while GMS is down).
                    .maxRetries(0)));
        }
        return emitters;
    }

    private static Emitter fileEmitter(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        return new FileEmitter(FileEmitterConfig.builder().fileName(file.toString()).build());
    }

    /** Proposals sent to GMS so far (cached ones not counted). */
    public long proposalsSent() {
        return proposalsSent.get();
    }

    private CompletableFuture<Void> emitAll(List<MetadataChangeProposalWrapper<?>> proposals, boolean cacheable) {
        return cacheable ? emitAll(proposals, cache::isFresh, cache::acknowledged, this::emit)
                : emitAll(proposals, proposal -> false, proposal -> { }, this::emit);
    }

    /**
     * Sends what the cache does not hold as acknowledged (an unchanged upsert, or a patch applied
     * already, adds nothing), all at once; each acknowledgement is remembered.
     */
    private <P> CompletableFuture<Void> emitAll(List<P> proposals, Predicate<P> fresh, Consumer<P> acknowledged,
                                                Function<P, CompletableFuture<Void>> emit) {
        return CompletableFuture.allOf(proposals.stream()
                .filter(fresh.negate())
                .map(proposal -> emit.apply(proposal).thenRun(() -> acknowledged.accept(proposal)))
                .toArray(CompletableFuture[]::new));
    }

    private CompletableFuture<Void> emit(MetadataChangeProposal patch) {
        return emit(patch.getAspectName(), patch.getEntityUrn().toString(), (emitter, callback) -> emitter.emit(patch, callback));
    }

    private CompletableFuture<Void> emit(MetadataChangeProposalWrapper<?> proposal) {
        return emit(proposal.getAspectName(), proposal.getEntityUrn(), (emitter, callback) -> emitter.emit(proposal, callback));
    }

    /** One emitter call; the DataHub client has one method per proposal type. */
    @FunctionalInterface
    private interface EmitCall {
        void emit(Emitter emitter, Callback callback) throws IOException;
    }

    private CompletableFuture<Void> emit(String aspectName, String entityUrn, EmitCall call) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        proposalsSent.incrementAndGet();
        try {
            Emitter emitter = emitters.get(Math.floorMod(nextEmitter.getAndIncrement(), emitters.size()));
            // The file emitter writes each proposal in several unsynchronized steps; a REST emit only queues the call.
            synchronized (emitter) {
                call.emit(emitter, new Callback() {
                    @Override
                    public void onCompletion(MetadataWriteResponse response) {
                        if (response.isSuccess()) {
                            result.complete(null);
                        } else {
                            result.completeExceptionally(failure(aspectName, entityUrn, response));
                        }
                    }

                    @Override
                    public void onFailure(Throwable cause) {
                        result.completeExceptionally(unreachable(cause));
                    }
                });
            }
        } catch (Exception | StackOverflowError e) {
            // The client can throw what its signature does not declare (URISyntaxException for a name
            // GMS cannot hold): that is this proposal's problem, not GMS being down.
            result.completeExceptionally(e instanceof IOException ? unreachable(e) : e);
        }
        return result.orTimeout(callTimeout.toMillis(), TimeUnit.MILLISECONDS).exceptionallyCompose(error ->
                CompletableFuture.failedFuture(error instanceof TimeoutException
                        ? RetryableDeliveryException.overload("DataHub GMS did not answer within " + callTimeout, "timeout", null, error)
                        : error));
    }

    /** The client reports a non-2xx answer as a completed call with isSuccess() false, not as an exception. */
    static Exception failure(String aspectName, String entityUrn, MetadataWriteResponse response) {
        int status = 0;
        String retryAfter = null;
        if (response.getUnderlyingResponse() instanceof SimpleHttpResponse http) {
            status = http.getCode();
            Header header = http.getFirstHeader("Retry-After");
            retryAfter = header == null ? null : header.getValue();
        }
        String what = "DataHub GMS (" + aspectName + " of " + entityUrn + ")";
        return status == 0
                ? new RetryableDeliveryException(what + " failed without an HTTP status: " + response.getResponseContent(),
                        "no status")
                : HttpFailures.forStatus(what, status, retryAfter, response.getResponseContent());
    }

    private RetryableDeliveryException unreachable(Throwable cause) {
        return new RetryableDeliveryException("cannot reach DataHub GMS: " + cause, String.valueOf(cause.getMessage()), null, cause);
    }

    @Override
    public void close() throws IOException {
        for (Emitter emitter : emitters) {
            emitter.close();
        }
    }
}
