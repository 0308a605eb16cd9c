package dev.lineagehub.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

class SharedCapacityTest {

    private final SharedCapacity cpu = new SharedCapacity(100, 4);

    /** Runs {@code concurrency} requests at once, {@code rounds} times each; returns each one's latency in ms. */
    private List<Long> run(int concurrency, int rounds) {
        ExecutorService threads = Executors.newFixedThreadPool(concurrency);
        List<CompletableFuture<List<Long>>> clients = new ArrayList<>();
        for (int c = 0; c < concurrency; c++) {
            clients.add(CompletableFuture.supplyAsync(() -> {
                List<Long> latencies = new ArrayList<>();
                for (int r = 0; r < rounds; r++) {
                    long start = System.nanoTime();
                    try {
                        cpu.perform();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    latencies.add((System.nanoTime() - start) / 1_000_000);
                }
                return latencies;
            }, threads));
        }
        List<Long> all = new ArrayList<>();
        clients.forEach(client -> all.addAll(client.join()));
        threads.shutdown();
        return all;
    }

    @Test
    void upToTheCoresARequestTakesItsWorkAndBeyondAllShareTheCores() {
        assertThat(cpu.work().toMillis()).isEqualTo(40);
        List<Long> alone = run(4, 3);
        assertThat(alone).allSatisfy(ms -> assertThat(ms).isGreaterThanOrEqualTo(40L));
        // Twice as many requests as cores: each takes about twice as long (a ratio in one run, not a
        // wall-clock bound, which a busy machine breaks), none much longer than the others.
        List<Long> shared = run(8, 3);
        assertThat((double) median(shared) / median(alone)).isBetween(1.5, 2.6);
        assertThat(java.util.Collections.max(shared)).isLessThan(2 * median(shared));
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    @Test
    void throughputStaysAtTheCapacityWhateverTheConcurrency() {
        double atCores = unitsPerSecond(4, 10);
        double overloaded = unitsPerSecond(32, 5);
        assertThat(overloaded / atCores).as("units per second at 32 requests / at 4").isBetween(0.8, 1.2);
    }

    private double unitsPerSecond(int concurrency, int rounds) {
        long start = System.nanoTime();
        run(concurrency, rounds);
        return concurrency * rounds / ((System.nanoTime() - start) / 1e9);
    }
}
