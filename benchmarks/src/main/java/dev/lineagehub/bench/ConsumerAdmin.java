package dev.lineagehub.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A consumer's admin port as a benchmark sees it: a free port to give it, and its heap use from /metrics. */
final class ConsumerAdmin {

    private static final Pattern HEAP_USED = Pattern.compile("jvm_memory_used_bytes\\{area=\"heap\"[^}]*} ([0-9.E]+)");

    private final HttpClient http = HttpClient.newHttpClient();
    private final int port;
    private double maxHeapMb;

    ConsumerAdmin() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            this.port = socket.getLocalPort();
        }
    }

    int port() {
        return port;
    }

    /** Scrapes the heap in use now and remembers the most seen; a consumer still starting is skipped. */
    void sampleHeap() {
        try {
            String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            double used = 0;
            Matcher m = HEAP_USED.matcher(body);
            while (m.find()) {
                used += Double.parseDouble(m.group(1));
            }
            maxHeapMb = Math.max(maxHeapMb, used / (1024 * 1024));
        } catch (IOException notListeningYet) {
            // the consumer is still starting
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    double maxHeapMb() {
        return maxHeapMb;
    }
}
