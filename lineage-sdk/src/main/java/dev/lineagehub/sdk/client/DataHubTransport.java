package dev.lineagehub.sdk.client;

import dev.lineagehub.datahub.mapping.InvalidUrnException;
import dev.lineagehub.datahub.mapping.MappedEvent;
import dev.lineagehub.datahub.mapping.MappingOptions;
import dev.lineagehub.datahub.mapping.RunEventMapper;

import io.openlineage.client.OpenLineage;

import datahub.client.Emitter;
import datahub.client.MetadataWriteResponse;
import datahub.client.rest.RestEmitter;
import datahub.event.MetadataChangeProposalWrapper;
import datahub.shaded.org.apache.hc.client5.http.async.methods.SimpleHttpResponse;

import com.linkedin.common.FabricType;
import com.linkedin.mxe.MetadataChangeProposal;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Writes each run event straight to DataHub GMS, through the same {@link RunEventMapper} datahub-consumer
 * uses — so a worker emitting to DataHub and a worker emitting to the hub end with the same entities.
 * In the seed's order, each stage acknowledged before the next: datasets, the DataFlow and DataJob
 * (with its lineage patches), then the run's DataProcessInstance aspects and run event.
 */
public final class DataHubTransport implements Transport {

    private final Emitter emitter;
    private final RunEventMapper mapper;
    private final Duration timeout;
    private final URI gmsUrl;

    /**
     * Where the DataHub transport writes, and how it names what it writes.
     *
     * @param gmsUrl           DataHub GMS, e.g. {@code http://datahub-gms:8080}; required
     * @param token            a DataHub personal access token; null (the default) when GMS runs without authentication
     * @param timeout          one proposal's bound ({@link Transport#DEFAULT_TIMEOUT})
     * @param env              the datasets' DataHub environment (fabric), {@code PROD} by default
     * @param platformInstance the datasets' platform instance, none (empty) by default
     */
    public record Config(URI gmsUrl, String token, Duration timeout, String env, String platformInstance) {

        public Config {
            java.util.Objects.requireNonNull(gmsUrl, "gmsUrl");
            java.util.Objects.requireNonNull(timeout, "timeout");
            if (java.util.Arrays.stream(FabricType.values()).noneMatch(fabric -> fabric.name().equals(env))) {
                throw new IllegalArgumentException("not a DataHub environment: " + env + " (PROD, DEV, QA, ...)");
            }
            platformInstance = platformInstance == null ? "" : platformInstance;
        }

        public static Config of(URI gmsUrl) {
            return new Config(gmsUrl, null, DEFAULT_TIMEOUT, "PROD", "");
        }

        public Config withToken(String accessToken) {
            return new Config(gmsUrl, accessToken, timeout, env, platformInstance);
        }

        public Config withTimeout(Duration bound) {
            return new Config(gmsUrl, token, bound, env, platformInstance);
        }

        public Config withNaming(String environment, String instance) {
            return new Config(gmsUrl, token, timeout, environment, instance);
        }

        MappingOptions mapping() {
            MappingOptions defaults = MappingOptions.defaults();
            return new MappingOptions(FabricType.valueOf(env), platformInstance, defaults.lowercase(), defaults.orchestrator(),
                    defaults.defaultOrchestrator());
        }
    }

    public DataHubTransport(Config config) {
        this(RestEmitter.create(builder -> builder.server(config.gmsUrl().toString()).token(config.token())
                .timeoutSec((int) Math.max(1, config.timeout().toSeconds())).maxRetries(0)), config.gmsUrl(), config.timeout(), config.mapping());
    }

    DataHubTransport(Emitter emitter, URI gmsUrl, Duration timeout, MappingOptions mapping) {
        this.emitter = emitter;
        this.gmsUrl = gmsUrl;
        this.timeout = timeout;
        this.mapper = new RunEventMapper(mapping);
    }

    @Override
    public void send(OpenLineage.RunEvent event) {
        UUID runId = event.getRun().getRunId();
        MappedEvent mapped;
        try {
            mapped = mapper.map(event);
        } catch (InvalidUrnException e) {
            throw new RejectedError("DataHub cannot name this run's entities: " + e.getMessage(), e);
        } catch (Exception e) {
            // What the mapper did not foresee (DataHub's Urn throws its checked URISyntaxException undeclared): the event will
            // not map on a retry either, and the worker is promised only the transport's typed errors.
            throw new RejectedError("DataHub mapping cannot take this run event: " + e, e);
        }
        for (MetadataChangeProposalWrapper<?> proposal : mapped.datasets()) {
            await(emit(proposal), proposal.getAspectName(), proposal.getEntityUrn(), runId);
        }
        for (MetadataChangeProposalWrapper<?> proposal : mapped.templates()) {
            await(emit(proposal), proposal.getAspectName(), proposal.getEntityUrn(), runId);
        }
        for (MetadataChangeProposal patch : mapped.patches()) {
            await(emit(patch), patch.getAspectName(), patch.getEntityUrn().toString(), runId);
        }
        for (MetadataChangeProposalWrapper<?> proposal : mapped.instance()) {
            await(emit(proposal), proposal.getAspectName(), proposal.getEntityUrn(), runId);
        }
    }

    private Future<MetadataWriteResponse> emit(MetadataChangeProposalWrapper<?> proposal) {
        try {
            return emitter.emit(proposal, null);
        } catch (IOException e) {
            throw unreachable(e);
        } catch (Exception e) {
            throw unsendable(proposal.getAspectName(), e);
        }
    }

    private Future<MetadataWriteResponse> emit(MetadataChangeProposal patch) {
        try {
            return emitter.emit(patch, null);
        } catch (IOException e) {
            throw unreachable(e);
        } catch (Exception e) {
            throw unsendable(patch.getAspectName(), e);
        }
    }

    private TransientNetworkError unreachable(IOException e) {
        return new TransientNetworkError("cannot reach DataHub GMS at " + gmsUrl + ": " + e, false, null, null, e);
    }

    /** DataHub's client throws what its signature does not declare (a URI it cannot build from a name): this proposal's. */
    private static RejectedError unsendable(String aspect, Exception e) {
        return new RejectedError("DataHub's client cannot send " + aspect + ": " + e, e);
    }

    private void await(Future<MetadataWriteResponse> call, String aspect, String urn, UUID runId) {
        MetadataWriteResponse response;
        try {
            response = call.get(timeout.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            call.cancel(true);
            throw new TransientNetworkError("DataHub GMS (" + aspect + " of " + urn + ") did not answer: " + e, true, null, runId, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientNetworkError("interrupted", true, null, runId, e);
        }
        if (!response.isSuccess()) {
            int status = response.getUnderlyingResponse() instanceof SimpleHttpResponse http ? http.getCode() : 500;
            throw HubException.forStatus(status, "DataHub GMS refused " + aspect + " of " + urn + ": "
                    + response.getResponseContent(), null, runId, null);
        }
    }

    @Override
    public String describe() {
        return "datahub " + gmsUrl;
    }

    @Override
    public void close() {
        try {
            emitter.close();
        } catch (IOException e) {
            // Closing only releases the client's connection pool; nothing is left to deliver.
        }
    }
}
