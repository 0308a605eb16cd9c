package dev.lineagehub.bench;

import dev.lineagehub.protocol.TransportKey;
import dev.lineagehub.datahub.DataHubConsumer;
import dev.lineagehub.datahub.GmsDouble;
import dev.lineagehub.runtime.ConsumerRuntime;
import dev.lineagehub.testing.RealKafka;
import dev.lineagehub.testing.SampleEvents;
import dev.lineagehub.testing.TestKafka;

import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineage.RunEvent.EventType;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * datahub-consumer against the validating GMS double with a fixed latency: a steady stream of runs
 * of the same jobs over the same datasets, with the aspect cache on and off, each event's proposals in one batch
 * request and one per request. Reports events/s, proposals (MCPs) and HTTP requests per OpenLineage event.
 */
public final class DataHubBenchmark {

    private final int runs;
    private final int jobs;
    private final int dags;
    private final String orderBy;
    private final int partitions;
    private final Duration latency;

    private DataHubBenchmark(Options options) {
        this.runs = options.integer("runs", 2_000);
        this.jobs = options.integer("jobs", 20);
        this.dags = options.integer("dags", 16);
        this.orderBy = options.string("order", "key");
        this.partitions = options.integer("partitions", 4);
        this.latency = Duration.ofMillis(options.integer("latencyMs", 5));
    }

    public static void main(String[] args) throws Exception {
        new DataHubBenchmark(new Options(args)).run();
        System.exit(0);
    }

    private void run() throws Exception {
        List<OpenLineage.RunEvent> events = steadyStream();
        System.out.printf("datahub-consumer benchmark: %d runs of %d Airflow tasks in %d DAGs (START, COMPLETE: %d events), "
                + "%d partitions, LINEAGEHUB_DATAHUB_ORDER_BY=%s, GMS double latency %d ms%n", runs, jobs, dags, events.size(), partitions, orderBy,
                latency.toMillis());
        System.out.println();
        System.out.println("| proposals sent | aspect cache | events/s | MCPs per event | HTTP requests per event | MCPs/s |");
        System.out.println("|---|---|---:|---:|---:|---:|");
        try (RealKafka.Broker broker = RealKafka.start()) {
            // First pass warms the JIT of the double's validation; its figures are not reported.
            measure(broker.kafka(), events, "3600000", true);
            for (String ttl : List.of("3600000", "0")) {
                Result batched = measure(broker.kafka(), events, ttl, true);
                Result single = measure(broker.kafka(), events, ttl, false);
                for (Result result : List.of(batched, single)) {
                    System.out.printf("| %s | %s | %.0f | %.2f | %.2f | %.0f |%n", result == batched ? "one batch per event" : "one per request",
                            ttl.equals("0") ? "off" : "on (1 h)", result.eventsPerSecond(), result.proposalsPerEvent(),
                            result.requestsPerEvent(), result.eventsPerSecond() * result.proposalsPerEvent());
                }
                System.out.printf("| batches ÷ single, cache %s | | %.2f × | | | |%n", ttl.equals("0") ? "off" : "on",
                        batched.eventsPerSecond() / single.eventsPerSecond());
            }
        }
        System.out.println("\nDataHub's own converter sends dataset and job aspects on every event, as 'off' does.");
    }

    private record Result(double eventsPerSecond, double proposalsPerEvent, double requestsPerEvent) {
    }

    private Result measure(TestKafka kafka, List<OpenLineage.RunEvent> events, String cacheTtlMs, boolean batches) throws Exception {
        String topic = kafka.newTopic("openlineage-events", partitions);
        for (OpenLineage.RunEvent event : events) {
            kafka.send(topic, TransportKey.bytesOf(event), SampleEvents.json(event));
        }
        kafka.flush();
        try (GmsDouble gms = new GmsDouble().latency(latency);
             ConsumerRuntime consumer = ConsumerRuntime.start(new DataHubConsumer(), Map.of(
                     "LINEAGEHUB_DATAHUB_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                     "LINEAGEHUB_DATAHUB_KAFKA_APPLICATION_ID", "datahub-bench-" + topic,
                     "LINEAGEHUB_DATAHUB_KAFKA_STATE_DIR", Files.createTempDirectory("streams").toString(),
                     "LINEAGEHUB_DATAHUB_TOPIC", topic,
                     "LINEAGEHUB_DATAHUB_GMS_URL", gms.url(),
                     "LINEAGEHUB_DATAHUB_ADMIN_PORT", "0",
                     "LINEAGEHUB_DATAHUB_ORDER_BY", orderBy,
                     "LINEAGEHUB_DATAHUB_CACHE_TTL_MS", cacheTtlMs,
                     "LINEAGEHUB_DATAHUB_BATCH_PROPOSALS", String.valueOf(batches)))) {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            long firstNanos = 0;
            while (runEvents(gms) < events.size()) {
                if (firstNanos == 0 && !gms.accepted().isEmpty()) {
                    firstNanos = System.nanoTime();
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(runEvents(gms) + " of " + events.size() + " run events in 10 minutes");
                }
                Thread.sleep(20);
            }
            double seconds = (System.nanoTime() - firstNanos) / 1e9;
            return new Result(events.size() / seconds, (double) gms.accepted().size() / events.size(),
                    (double) gms.storingRequests() / events.size());
        }
    }

    private static long runEvents(GmsDouble gms) {
        return gms.accepted().stream().filter(p -> p.aspectName().equals("dataProcessInstanceRunEvent")).count();
    }

    /**
     * Runs of the same few jobs over the same datasets, START then COMPLETE, interleaved across runs;
     * each batch of task runs is one run of one of {@code dags} DAGs. The OpenLineage Kafka transport
     * keys a task's events by its DAG, so with LINEAGEHUB_DATAHUB_ORDER_BY=key the DAGs are what runs in parallel.
     */
    private List<OpenLineage.RunEvent> steadyStream() {
        List<OpenLineage.RunEvent> events = new ArrayList<>();
        List<UUID> batch = new ArrayList<>();
        int dagRuns = 0;
        for (int i = 0; i < runs; i++) {
            batch.add(UUID.randomUUID());
            if (batch.size() == jobs || i == runs - 1) {
                for (EventType type : List.of(EventType.START, EventType.COMPLETE)) {
                    for (int j = 0; j < batch.size(); j++) {
                        events.add(SampleEvents.airflowTask(type, batch.get(j), batch.get(0), "orders_daily_" + dagRuns % dags, "task_" + j));
                    }
                }
                batch.clear();
                dagRuns++;
            }
        }
        return events;
    }
}
