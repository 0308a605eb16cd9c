package dev.lineagehub.lineage;

import dev.lineagehub.runtime.ConsumerRuntime;
import dev.lineagehub.testing.TestEnv;
import dev.lineagehub.testing.TestKafka;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One delivery of a backlog of runs to a Marquez double with a capacity model, by a lineage-consumer
 * with the given settings, measured at the double: what the capacity test and benchmark compare.
 */
public final class CapacityRun {

    /**
     * @param delivered   distinct events Marquez stored (all of them unless the time ran out)
     * @param retries     failed calls the consumer retried (timeouts, mostly)
     * @param duplicates  events Marquez stored more than once
     * @param p50         median time a request spent at Marquez, queue included
     */
    public record Result(int delivered, double eventsPerSecond, double retries, long duplicates, Duration p50, Duration p99) {
        @Override
        public String toString() {
            return String.format("%d delivered, %.1f events/s, %.0f retries, %d duplicates, p50 %d ms, p99 %d ms",
                    delivered, eventsPerSecond, retries, duplicates, p50.toMillis(), p99.toMillis());
        }
    }

    private CapacityRun() {
    }

    /** Publishes {@code runs} runs (3 events each) to a fresh 4-partition topic and delivers them, for at most {@code limit}. */
    public static Result deliver(TestKafka kafka, MarquezDouble marquez, int runs, Map<String, String> settings, Duration limit)
            throws InterruptedException {
        // A run before may have left requests its consumer gave up on: Marquez works on them until done.
        long idleBy = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (marquez.concurrentRequests() > 0 && System.nanoTime() < idleBy) {
            Thread.sleep(100);
        }
        String topic = kafka.newTopic("openlineage-events", 4);
        RunCorpus.publish(kafka, topic, runs);
        marquez.forgetReceived();
        marquez.drainWorkTimes();
        Map<String, String> env = TestEnv.forConsumer(new LineageConsumer(), kafka, "lineage-capacity-" + topic);
        env.put("LINEAGEHUB_LINEAGE_TOPIC", topic);
        env.put("LINEAGEHUB_LINEAGE_URL", marquez.url());
        env.putAll(settings);
        try (ConsumerRuntime consumer = ConsumerRuntime.start(new LineageConsumer(), env)) {
            long deadline = System.nanoTime() + limit.toNanos();
            while (RunCorpus.distinct(marquez.received()).size() < 3 * runs && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            List<MarquezDouble.Received> received = marquez.received();
            int delivered = RunCorpus.distinct(received).size();
            double seconds = received.isEmpty() ? 0 : (received.get(received.size() - 1).atNanos() - received.get(0).atNanos()) / 1e9;
            long[] times = marquez.drainWorkTimes();
            Arrays.sort(times);
            return new Result(delivered, seconds == 0 ? 0 : (delivered - 1) / seconds,
                    consumer.registry().get("lineagehub.retries").counter().count(), marquez.duplicates(),
                    percentile(times, 0.50), percentile(times, 0.99));
        }
    }

    private static Duration percentile(long[] sorted, double p) {
        return sorted.length == 0 ? Duration.ZERO : Duration.ofNanos(sorted[(int) Math.min(sorted.length - 1, sorted.length * p)]);
    }
}
