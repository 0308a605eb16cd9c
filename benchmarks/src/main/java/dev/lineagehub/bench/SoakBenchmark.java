package dev.lineagehub.bench;

import dev.lineagehub.protocol.TransportKey;
import dev.lineagehub.delivery.deadletter.DeadLetters;
import dev.lineagehub.lineage.LineageConsumer;
import dev.lineagehub.lineage.MarquezDouble;
import dev.lineagehub.testing.ConsumerProcess;
import dev.lineagehub.testing.RealKafka;
import dev.lineagehub.testing.SampleEvents;
import dev.lineagehub.testing.TestKafka;

import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineage.RunEvent.EventType;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * lineage-consumer running for a long time (30 minutes by default) at a steady rate, with Marquez
 * outages and hostile records on a schedule, its heap sampled every 30 s: does anything grow that
 * should not, and does every event still end delivered or dead-lettered?
 *
 * <p>Each second, {@code rate} events are published (whole runs: START, RUNNING, COMPLETE, interleaved
 * across runs). Each minute, one event Marquez refuses on every try (a NUL byte in its job name, as
 * PostgreSQL does) and one record that is not JSON. Every {@code outageEvery} minutes, Marquez answers
 * 503 for {@code outageSeconds}. Each sample prints the consumer's heap in use, the old generation's
 * live data after the last major collection (what a leak grows), its resident memory and the lag.
 */
public final class SoakBenchmark {

    private final int minutes;
    private final int rate;
    private final int partitions;
    private final Duration latency;
    private final String heap;
    private final int outageEvery;
    private final int outageSeconds;
    private final int sampleSeconds;

    private final Set<String> delivered = new HashSet<>();
    private final Map<String, Integer> firstArrivalStage = new HashMap<>();
    private long duplicates;
    private long orderViolations;

    private SoakBenchmark(Options options) {
        this.minutes = options.integer("minutes", 30);
        this.rate = options.integer("rate", 300);
        this.partitions = options.integer("partitions", 4);
        this.latency = Duration.ofMillis(options.integer("latencyMs", 5));
        this.heap = options.string("heap", "256m");
        this.outageEvery = options.integer("outageEvery", 10);
        this.outageSeconds = options.integer("outageSeconds", 60);
        this.sampleSeconds = options.integer("sampleSeconds", 30);
    }

    public static void main(String[] args) throws Exception {
        new SoakBenchmark(new Options(args)).run();
        System.exit(0);
    }

    private void run() throws Exception {
        System.out.printf("lineage-consumer soak: %d min at %d events/s on %d partitions, double latency %d ms, heap %s; "
                        + "Marquez 503 for %d s every %d min; each minute one poison event and one non-JSON record%n",
                minutes, rate, partitions, latency.toMillis(), heap, outageSeconds, outageEvery);
        ConsumerAdmin admin = new ConsumerAdmin();
        try (RealKafka.Broker broker = RealKafka.start();
             MarquezDouble marquez = new MarquezDouble().latency(latency)) {
            TestKafka kafka = broker.kafka();
            String topic = kafka.newTopic("openlineage-events", partitions);
            String group = "lineage-soak-" + topic;
            try (ConsumerProcess consumer = ConsumerProcess.start(LineageConsumer.class, Map.of(
                    "LINEAGEHUB_LINEAGE_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                    "LINEAGEHUB_LINEAGE_KAFKA_APPLICATION_ID", group,
                    "LINEAGEHUB_LINEAGE_KAFKA_STATE_DIR", Files.createTempDirectory("streams").toString(),
                    "LINEAGEHUB_LINEAGE_TOPIC", topic,
                    "LINEAGEHUB_LINEAGE_URL", marquez.url(),
                    "LINEAGEHUB_LINEAGE_ADMIN_PORT", String.valueOf(admin.port())), heap)) {
                Set<String> expected = new HashSet<>();
                long healthy = 0;
                int hostile = 0;
                List<double[]> samples = new ArrayList<>();
                System.out.println("\n| min | heap used MB | old gen live MB | RSS MB | delivered | duplicates | lag | Marquez |");
                System.out.println("|---:|---:|---:|---:|---:|---:|---:|---|");
                long start = System.nanoTime();
                long end = start + TimeUnit.MINUTES.toNanos(minutes);
                long nextSample = start + TimeUnit.SECONDS.toNanos(sampleSeconds);
                for (int second = 0; System.nanoTime() < end; second++) {
                    boolean down = outageEvery > 0 && second % (outageEvery * 60) >= outageEvery * 60 - outageSeconds;
                    if (down) {
                        marquez.failWith(503, null, "{\"code\":503,\"message\":\"maintenance\"}");
                    } else {
                        marquez.recover();
                    }
                    List<UUID> runs = new ArrayList<>();
                    for (int i = 0; i < rate / 3; i++) {
                        runs.add(UUID.randomUUID());
                    }
                    SampleEvents.interleaved(runs).forEach(e -> kafka.send(topic, TransportKey.bytesOf(e), SampleEvents.json(e)));
                    runs.forEach(run -> List.of("START", "RUNNING", "COMPLETE").forEach(type -> expected.add(run + "/" + type)));
                    healthy += 3L * runs.size();
                    if (second % 60 == 30) {
                        OpenLineage.RunEvent poison = SampleEvents.airflowTask(EventType.START, UUID.randomUUID(), UUID.randomUUID(),
                                "dag", "t\u0000" + second);
                        kafka.send(topic, TransportKey.bytesOf(poison), SampleEvents.json(poison));
                        kafka.send(topic, ("run:x/" + second).getBytes(StandardCharsets.UTF_8),
                                ("{not json " + second).getBytes(StandardCharsets.UTF_8));
                        hostile += 2;
                    }
                    kafka.flush();
                    count(marquez.drainReceived());
                    if (System.nanoTime() >= nextSample) {
                        nextSample += TimeUnit.SECONDS.toNanos(sampleSeconds);
                        double[] memory = admin.heap();
                        samples.add(new double[] {memory[0], memory[1], consumer.residentMb()});
                        System.out.printf("| %.1f | %.0f | %.0f | %.0f | %d | %d | %d | %s |%n",
                                (System.nanoTime() - start) / 60e9, memory[0], memory[1], consumer.residentMb(), delivered.size(),
                                duplicates, kafka.lag(group, topic), down ? "503" : "up");
                    }
                    long sleep = start + TimeUnit.SECONDS.toNanos(second + 1) - System.nanoTime();
                    if (sleep > 0) {
                        TimeUnit.NANOSECONDS.sleep(sleep);
                    }
                }
                marquez.recover();
                long drainDeadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
                while (!delivered.containsAll(expected) && System.nanoTime() < drainDeadline) {
                    Thread.sleep(1_000);
                    count(marquez.drainReceived());
                }
                List<ConsumerRecord<byte[], byte[]>> dead = kafka.read(topic + "-lineage-dlq", hostile + 1, Duration.ofSeconds(60));
                Map<String, Integer> reasons = new TreeMap<>();
                dead.forEach(r -> reasons.merge(new String(r.headers().lastHeader(DeadLetters.HEADER_REASON).value(),
                        StandardCharsets.UTF_8), 1, Integer::sum));
                Set<String> missing = new HashSet<>(expected);
                missing.removeAll(delivered);
                System.out.printf("%nproduced %d healthy events and %d hostile records; delivered %d distinct (%d missing), "
                                + "%d duplicates, %d first-arrival order violations; dead-lettered %s; lag at the end %d%n",
                        healthy, hostile, delivered.size(), missing.size(), duplicates, orderViolations, reasons,
                        kafka.lag(group, topic));
                summarize(samples);
                consumer.stop();
            }
        }
    }

    private void count(List<MarquezDouble.Received> received) {
        for (MarquezDouble.Received r : received) {
            String id = r.runId() + "/" + r.eventType();
            if (!delivered.add(id)) {
                duplicates++;
                continue;
            }
            int stage = List.of("START", "RUNNING", "COMPLETE").indexOf(r.eventType());
            Integer before = firstArrivalStage.put(r.runId(), Math.max(stage, firstArrivalStage.getOrDefault(r.runId(), -1)));
            if (before != null && before > stage) {
                orderViolations++;
            }
        }
    }

    /** Live data of the first and the last fifth of the run: a leak shows as growth between them. */
    private static void summarize(List<double[]> samples) {
        int fifth = Math.max(1, samples.size() / 5);
        System.out.printf("old generation live data: first fifth %.1f MB on average, last fifth %.1f MB; "
                        + "heap used max %.0f MB; RSS first %.0f MB, last %.0f MB%n",
                average(samples.subList(0, fifth), 1), average(samples.subList(samples.size() - fifth, samples.size()), 1),
                samples.stream().mapToDouble(s -> s[0]).max().orElse(Double.NaN),
                samples.get(0)[2], samples.get(samples.size() - 1)[2]);
    }

    private static double average(List<double[]> samples, int column) {
        return samples.stream().mapToDouble(s -> s[column]).filter(v -> !Double.isNaN(v)).average().orElse(Double.NaN);
    }
}
