package dev.lineagehub.testing;

import dev.lineagehub.runtime.ConsumerRuntime;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** What a test asks a running consumer's admin port: its health probes and metrics. */
public final class AdminPort {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private AdminPort() {
    }

    /** The status of {@code /health/<probe>} ("ready" or "live"). */
    public static int health(ConsumerRuntime consumer, String probe) {
        return get(consumer, "/health/" + probe).statusCode();
    }

    /** The JSON body of {@code /health/<probe>}, which names the cause. */
    public static String healthBody(ConsumerRuntime consumer, String probe) {
        return get(consumer, "/health/" + probe).body();
    }

    /** The Prometheus text of {@code /metrics}. */
    public static String metrics(ConsumerRuntime consumer) {
        return get(consumer, "/metrics").body();
    }

    private static HttpResponse<String> get(ConsumerRuntime consumer, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + consumer.adminPort() + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException("the admin port of " + consumer.applicationId() + " does not answer " + path, e);
        }
    }
}
