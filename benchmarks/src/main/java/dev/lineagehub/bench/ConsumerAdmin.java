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
    private static final Pattern LIVE_DATA = Pattern.compile("jvm_gc_live_data_size_bytes(?:\\{[^}]*})? ([0-9.E]+)");

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
        heap();
    }

    /**
     * Heap in use now (MB), and the old generation's live data after the last major collection (MB): the
     * first swings with every young collection, the second grows only if something is kept for good.
     * NaN while the consumer is not answering.
     */
    double[] heap() {
        try {
            String body = scrape();
            double used = 0;
            Matcher m = HEAP_USED.matcher(body);
            while (m.find()) {
                used += Double.parseDouble(m.group(1));
            }
            Matcher live = LIVE_DATA.matcher(body);
            double usedMb = used / (1024 * 1024);
            maxHeapMb = Math.max(maxHeapMb, usedMb);
            return new double[] {usedMb, live.find() ? Double.parseDouble(live.group(1)) / (1024 * 1024) : Double.NaN};
        } catch (IOException notListeningYet) {
            return new double[] {Double.NaN, Double.NaN};
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new double[] {Double.NaN, Double.NaN};
        }
    }

    /** The sum of a metric's samples (all label sets), e.g. a timer's {@code _sum} or {@code _count}; NaN when not answering. */
    double sum(String metric) {
        try {
            String body = scrape();
            Matcher m = Pattern.compile("(?m)^" + Pattern.quote(metric) + "(?:\\{[^}]*})? ([0-9.E+-]+)$").matcher(body);
            double sum = 0;
            while (m.find()) {
                sum += Double.parseDouble(m.group(1));
            }
            return sum;
        } catch (IOException notListening) {
            return Double.NaN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        }
    }

    private String scrape() throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    double maxHeapMb() {
        return maxHeapMb;
    }
}
