package dev.lineagehub.sdk.transport;

import dev.lineagehub.datahub.mapping.InvalidUrnException;
import dev.lineagehub.datahub.mapping.MappedEvent;
import dev.lineagehub.datahub.mapping.MappingOptions;
import dev.lineagehub.datahub.mapping.RunEventMapper;
import dev.lineagehub.sdk.client.HubException;
import dev.lineagehub.sdk.client.RejectedError;
import dev.lineagehub.sdk.client.TransientNetworkError;

import io.openlineage.client.OpenLineage;

import datahub.client.Emitter;
import datahub.client.MetadataWriteResponse;
import datahub.client.rest.RestEmitter;
import datahub.event.MetadataChangeProposalWrapper;
import datahub.shaded.org.apache.hc.client5.http.async.methods.SimpleHttpResponse;

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

    /** @param token a DataHub personal access token; null when GMS runs without authentication */
    public DataHubTransport(URI gmsUrl, String token, Duration timeout, MappingOptions mapping) {
        this(RestEmitter.create(builder -> builder.server(gmsUrl.toString()).token(token)
                .timeoutSec((int) Math.max(1, timeout.toSeconds())).maxRetries(0)), gmsUrl, timeout, mapping);
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
            throw new TransientNetworkError("cannot reach DataHub GMS at " + gmsUrl + ": " + e, false, null, null, e);
        }
    }

    private Future<MetadataWriteResponse> emit(MetadataChangeProposal patch) {
        try {
            return emitter.emit(patch, null);
        } catch (IOException e) {
            throw new TransientNetworkError("cannot reach DataHub GMS at " + gmsUrl + ": " + e, false, null, null, e);
        }
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
