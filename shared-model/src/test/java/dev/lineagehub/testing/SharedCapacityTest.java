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
        assertThat(run(4, 3)).allSatisfy(ms -> assertThat(ms).isBetween(40L, 70L));
        // Twice as many requests as cores: each takes twice as long, none much longer than the others.
        List<Long> shared = run(8, 3);
        assertThat(shared).allSatisfy(ms -> assertThat(ms).isBetween(70L, 130L));
    }

    @Test
    void throughputStaysAtTheCapacityWhateverTheConcurrency() {
        long start = System.nanoTime();
        run(32, 5);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(160 / seconds).as("units per second").isBetween(80.0, 101.0);
    }
}
