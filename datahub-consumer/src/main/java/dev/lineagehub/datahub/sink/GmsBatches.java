package dev.lineagehub.datahub.sink;

import dev.lineagehub.delivery.HttpFailures;
import dev.lineagehub.delivery.RetryableDeliveryException;

import com.linkedin.data.DataList;
import com.linkedin.data.DataMap;
import com.linkedin.data.template.JacksonDataTemplateCodec;
import com.linkedin.mxe.MetadataChangeProposal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * GMS's batch ingestion, {@code POST /aspects?action=ingestProposalBatch}: an event's proposals in one request, which
 * GMS stores in the order given, in one batch, and refuses as a whole (422) when one of them is invalid. The body is
 * what DataHub's own {@code RestEmitter} sends for one proposal, with {@code proposals} for {@code proposal}; the
 * DataHub client has no call for it. A GMS without the action (404, or a Rest.li 400 naming it) is remembered, and
 * the sink sends one proposal per request from then on.
 */
final class GmsBatches {

    static final String ACTION = "ingestProposalBatch";
    private static final Logger LOG = LoggerFactory.getLogger(GmsBatches.class);
    private static final JacksonDataTemplateCodec CODEC = new JacksonDataTemplateCodec();

    private final HttpClient http;
    private final URI endpoint;
    private final String token;
    private final Duration timeout;
    private volatile boolean absent;

    GmsBatches(URI gmsUrl, String token, Duration timeout, Executor executor) {
        // The client's own thread pool answers; what follows an answer runs on the sink's executor.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).executor(executor).build();
        this.endpoint = URI.create(gmsUrl.toString().replaceAll("/+$", "") + "/aspects?action=" + ACTION);
        this.token = token;
        this.timeout = timeout;
    }

    /** False once GMS answered that it has no batch action. */
    boolean available() {
        return !absent;
    }

    /**
     * Sends the proposals as one batch. Completes with true when GMS stored them all, false when GMS has no batch
     * action (nothing was stored; send them one at a time), else with the delivery failure GMS's answer classifies as.
     */
    CompletableFuture<Boolean> send(List<MetadataChangeProposal> proposals, String what) {
        DataList list = new DataList();
        proposals.forEach(proposal -> list.add(proposal.data()));
        DataMap body = new DataMap();
        body.put("proposals", list);
        String json;
        try {
            json = CODEC.mapToString(body);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(new IllegalStateException("cannot write the proposals of " + what, e));
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .header("X-RestLi-Protocol-Version", "2.0.0")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null && !token.isBlank()) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
                .handle((response, error) -> {
                    if (error != null) {
                        throw new RetryableDeliveryException("cannot reach DataHub GMS: " + error, String.valueOf(error.getMessage()), null, error);
                    }
                    int status = response.statusCode();
                    if (status / 100 == 2) {
                        return true;
                    }
                    if (status == 404 || (status == 400 && response.body().contains(ACTION))) {
                        if (!absent) {
                            absent = true;
                            LOG.warn("DataHub GMS at {} has no {} (HTTP {}): sending one proposal per request", endpoint.getHost(), ACTION, status);
                        }
                        return false;
                    }
                    throw HttpFailures.forStatus("DataHub GMS (a batch of " + proposals.size() + " proposals of " + what + ")", status,
                            response.headers().firstValue("Retry-After").orElse(null), response.body());
                });
    }
}
