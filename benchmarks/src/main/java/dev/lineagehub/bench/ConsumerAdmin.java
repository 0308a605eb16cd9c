package dev.lineagehub.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
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
        return scrape().map(body -> {
            double usedMb = total(HEAP_USED, body) / (1024 * 1024);
            maxHeapMb = Math.max(maxHeapMb, usedMb);
            Matcher live = LIVE_DATA.matcher(body);
            return new double[] {usedMb, live.find() ? Double.parseDouble(live.group(1)) / (1024 * 1024) : Double.NaN};
        }).orElse(new double[] {Double.NaN, Double.NaN});
    }

    /**
     * Each metric's samples summed over its label sets (e.g. a timer's {@code _sum} and {@code _count}),
     * all from one scrape; NaN while the consumer is not answering.
     */
    double[] sums(String... metrics) {
        double[] sums = new double[metrics.length];
        Optional<String> body = scrape();
        for (int i = 0; i < metrics.length; i++) {
            Pattern samples = Pattern.compile("(?m)^" + Pattern.quote(metrics[i]) + "(?:\\{[^}]*})? ([0-9.E+-]+)$");
            sums[i] = body.map(text -> total(samples, text)).orElse(Double.NaN);
        }
        return sums;
    }

    private static double total(Pattern samples, String body) {
        double total = 0;
        Matcher m = samples.matcher(body);
        while (m.find()) {
            total += Double.parseDouble(m.group(1));
        }
        return total;
    }

    private Optional<String> scrape() {
        try {
            return Optional.of(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
        } catch (IOException notListeningYet) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    double maxHeapMb() {
        return maxHeapMb;
    }
}
