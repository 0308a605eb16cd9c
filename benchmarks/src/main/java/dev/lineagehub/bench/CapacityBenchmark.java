package dev.lineagehub.bench;

import dev.lineagehub.lineage.CapacityRun;
import dev.lineagehub.lineage.MarquezDouble;
import dev.lineagehub.testing.RealKafka;
import dev.lineagehub.testing.TestKafka;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * lineage-consumer against a Marquez double with a capacity model (CPU-bound: a fixed number of
 * events per second on a few cores, slower for all beyond that), at several fixed concurrencies and adaptive, in one
 * run: throughput, timeouts (retries), events stored twice, and latency at the sink. A run that has
 * not delivered everything after {@code maxSeconds} is cut off and says how far it got.
 */
public final class CapacityBenchmark {

    public static void main(String[] args) throws Exception {
        Options options = new Options(args);
        int eventsPerSecond = options.integer("eventsPerSecond", 50);
        int cores = options.integer("cores", 4);
        int runs = options.integer("runs", 500);
        int timeoutMs = options.integer("timeoutMs", 1_000);
        Duration maxTime = Duration.ofSeconds(options.integer("maxSeconds", 90));
        System.out.printf("Marquez double: %d events/s on %d cores (%d ms each unloaded); %d events on 4 partitions; "
                        + "request timeout %d ms; each run cut off after %d s%n%n", eventsPerSecond, cores,
                1000 * cores / eventsPerSecond, 3 * runs, timeoutMs, maxTime.toSeconds());
        Map<String, Map<String, String>> setups = new LinkedHashMap<>();
        setups.put("fixed 4 (1 per partition)", Map.of("LINEAGEHUB_LINEAGE_CONCURRENCY", "fixed", "LINEAGEHUB_LINEAGE_MAX_IN_FLIGHT", "1"));
        setups.put("fixed 8 (2 per partition)", Map.of("LINEAGEHUB_LINEAGE_CONCURRENCY", "fixed", "LINEAGEHUB_LINEAGE_MAX_IN_FLIGHT", "2"));
        setups.put("fixed 128 (32 per partition)", Map.of("LINEAGEHUB_LINEAGE_CONCURRENCY", "fixed", "LINEAGEHUB_LINEAGE_MAX_IN_FLIGHT", "32"));
        setups.put("adaptive, at most 128 (default)", Map.of());
        try (RealKafka.Broker broker = RealKafka.start();
             MarquezDouble marquez = new MarquezDouble().capacity(eventsPerSecond, cores)) {
            TestKafka kafka = broker.kafka();
            System.out.println("| consumer | delivered | events/s | retries (timeouts) | stored twice | p50 at sink | p99 at sink |");
            System.out.println("|---|---:|---:|---:|---:|---:|---:|");
            for (Map.Entry<String, Map<String, String>> setup : setups.entrySet()) {
                Map<String, String> env = new LinkedHashMap<>(setup.getValue());
                env.put("LINEAGEHUB_LINEAGE_REQUEST_TIMEOUT_MS", String.valueOf(timeoutMs));
                CapacityRun.Result r = CapacityRun.deliver(kafka, marquez, runs, env, maxTime);
                System.out.printf("| %s | %d of %d | %.1f | %.0f | %d | %d ms | %d ms |%n", setup.getKey(), r.delivered(), 3 * runs,
                        r.eventsPerSecond(), r.retries(), r.duplicates(), r.p50().toMillis(), r.p99().toMillis());
            }
        }
        System.exit(0);
    }
}
