package dev.lineagehub.sdk.transport;

import dev.lineagehub.sdk.client.HubClient;
import dev.lineagehub.sdk.client.RetryPolicy;

import io.openlineage.client.OpenLineage;

import java.net.URI;
import java.time.Duration;

/** POSTs each run event to {@code /api/v1/lineage} of ingest-api, or of Marquez directly. */
public final class HttpTransport implements Transport {

    private final HubClient client;
    private final URI url;

    public HttpTransport(URI url, String apiKey, Duration timeout) {
        this.client = new HubClient(url, apiKey, timeout, RetryPolicy.none());
        this.url = url;
    }

    @Override
    public void send(OpenLineage.RunEvent event) {
        client.sendLineage(event);
    }

    @Override
    public String describe() {
        return "http " + url;
    }

    @Override
    public void close() {
        // java.net.http's client holds no resources past its last call.
    }
}
