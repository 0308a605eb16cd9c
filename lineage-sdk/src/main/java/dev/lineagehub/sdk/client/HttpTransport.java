package dev.lineagehub.sdk.client;


import io.openlineage.client.OpenLineage;

import java.net.URI;
import java.time.Duration;

/** POSTs each run event to {@code /api/v1/lineage} of ingest-api, or of Marquez directly. */
public final class HttpTransport implements Transport {

    private final HubClient client;
    private final URI url;

    /**
     * Where the HTTP transport POSTs.
     *
     * @param url     ingest-api's (or Marquez's) base URL, e.g. {@code http://ingest-api:8080}; required
     * @param apiKey  sent as {@code Authorization: Bearer}; null (the default) sends none
     * @param timeout one attempt's bound, connecting included ({@link Transport#DEFAULT_TIMEOUT})
     */
    public record Config(URI url, String apiKey, Duration timeout) {

        public Config {
            java.util.Objects.requireNonNull(url, "url");
            java.util.Objects.requireNonNull(timeout, "timeout");
        }

        public static Config of(URI url) {
            return new Config(url, null, DEFAULT_TIMEOUT);
        }

        public Config withApiKey(String key) {
            return new Config(url, key, timeout);
        }

        public Config withTimeout(Duration bound) {
            return new Config(url, apiKey, bound);
        }
    }

    public HttpTransport(Config config) {
        this.client = new HubClient(config.url(), config.apiKey(), config.timeout(), RetryPolicy.none());
        this.url = config.url();
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
