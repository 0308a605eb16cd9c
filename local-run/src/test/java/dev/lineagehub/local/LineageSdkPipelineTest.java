package dev.lineagehub.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lineagehub.datahub.DataHubConsumer;
import dev.lineagehub.datahub.GmsDouble;
import dev.lineagehub.lineage.LineageConsumer;
import dev.lineagehub.lineage.MarquezDouble;
import dev.lineagehub.runtime.ConsumerRuntime;
import dev.lineagehub.sdk.Dataset;
import dev.lineagehub.sdk.LineageEmitter;
import dev.lineagehub.sdk.LineageHub;
import dev.lineagehub.sdk.client.RetryPolicy;
import dev.lineagehub.sdk.client.DataHubTransport;
import dev.lineagehub.sdk.client.HttpTransport;
import dev.lineagehub.sdk.client.KafkaTransport;
import dev.lineagehub.sdk.client.Transport;
import dev.lineagehub.testing.Await;
import dev.lineagehub.testing.RealKafka;
import dev.lineagehub.testing.TestEnv;
import dev.lineagehub.testing.TestKafka;

import io.openlineage.client.OpenLineage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * The SDK's acceptance scenario (seed 000) through the real pipeline: one worker's code, run once with
 * the DataHub emitter and once with the Kafka emitter; the hub's consumers carry the second to the GMS
 * and Marquez doubles. Every run is its own DataProcessInstance, and GMS ends the same either way.
 */
@ExtendWith(RealKafka.class)
class LineageSdkPipelineTest {

    private static final Dataset RAW = Dataset.of("s3://landing", "orders/2026-12-01.csv");
    private static final List<Dataset> CHUNKS = List.of(Dataset.of("s3://staging", "orders/chunk-1.parquet"),
            Dataset.of("s3://staging", "orders/chunk-2.parquet"));
    private static final List<Dataset> TABLES = List.of(Dataset.of("postgres://warehouse:5432", "dw.public.orders_1"),
            Dataset.of("postgres://warehouse:5432", "dw.public.orders_2"));
    private static final Clock SAME_TIME = Clock.fixed(Instant.parse("2026-12-01T06:00:00Z"), ZoneOffset.UTC);

    private final List<AutoCloseable> running = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        Collections.reverse(running);
        for (AutoCloseable resource : running) {
            resource.close();
        }
    }

    /** The worker of the seed, written once: a fan-out producer run, then the same consumer job run twice. */
    private static void worker(LineageHub hub) {
        LineageEmitter producer = hub.emitter("orders_fanout", "split");
        producer.addInput(RAW);
        producer.startRun();
        CHUNKS.forEach(producer::addOutput);
        producer.completeRun();

        LineageEmitter consumer = hub.emitter("orders_fanout", "load");
        for (int i = 0; i < CHUNKS.size(); i++) {
            consumer.startRun();
            consumer.addInput(CHUNKS.get(i));
            consumer.addOutput(TABLES.get(i));
            consumer.completeRun();
        }
    }

    /** Passes events on and remembers the runs in the order they started. */
    private static final class RunOrder implements Transport {
        private final Transport delegate;
        private final List<UUID> runs = new CopyOnWriteArrayList<>();

        RunOrder(Transport delegate) {
            this.delegate = delegate;
        }

        @Override
        public void send(OpenLineage.RunEvent event) {
            delegate.send(event);
            if (!runs.contains(event.getRun().getRunId())) {
                runs.add(event.getRun().getRunId());
            }
        }

        @Override
        public String describe() {
            return delegate.describe();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    private static void runWorker(Transport transport) throws InterruptedException {
        try (LineageHub hub = LineageHub.builder("seed-workers", transport).clock(SAME_TIME).build()) {
            worker(hub);
            assertThat(hub.flush(Duration.ofSeconds(60))).isTrue();
            assertThat(hub.dropped()).isZero();
            assertThat(hub.sent()).isEqualTo(6);
        }
    }

    @Test
    void everyRunIsItsOwnInstanceAndGmsEndsTheSameDirectOrThroughTheHub(TestKafka kafka) throws Exception {
        String topic = kafka.newTopic("openlineage-events", 3);
        GmsDouble direct = new GmsDouble();
        GmsDouble viaHub = new GmsDouble();
        MarquezDouble marquez = new MarquezDouble();
        running.addAll(List.of(direct, viaHub, marquez));
        Map<String, String> datahubEnv = TestEnv.forConsumer(new DataHubConsumer(), kafka, "sdk-datahub-" + topic);
        datahubEnv.putAll(Map.of("LINEAGEHUB_DATAHUB_TOPIC", topic, "LINEAGEHUB_DATAHUB_GMS_URL", viaHub.url(),
                "LINEAGEHUB_DATAHUB_KAFKA_COMMIT_INTERVAL_MS", "1000"));
        running.add(ConsumerRuntime.start(new DataHubConsumer(), datahubEnv));
        Map<String, String> marquezEnv = TestEnv.forConsumer(new LineageConsumer(), kafka, "sdk-marquez-" + topic);
        marquezEnv.putAll(Map.of("LINEAGEHUB_LINEAGE_TOPIC", topic, "LINEAGEHUB_LINEAGE_URL", marquez.url()));
        running.add(ConsumerRuntime.start(new LineageConsumer(), marquezEnv));

        RunOrder toDataHub = new RunOrder(new DataHubTransport(DataHubTransport.Config.of(URI.create(direct.url()))));
        runWorker(toDataHub);
        RunOrder toKafka = new RunOrder(new KafkaTransport(KafkaTransport.Config.of(kafka.bootstrapServers()).withTopic(topic)));
        runWorker(toKafka);

        Await.until(Duration.ofSeconds(60), () -> runEvents(viaHub) >= 6, () -> runEvents(viaHub) + " of 6 run events in GMS via the hub");
        Await.until(Duration.ofSeconds(60), () -> marquez.received().size() >= 6, () -> marquez.received().size() + " of 6 events at Marquez");

        for (GmsDouble gms : List.of(direct, viaHub)) {
            assertThat(instances(gms)).hasSize(3);
            Set<String> jobs = gms.accepted().stream().filter(p -> p.entityType().equals("dataJob"))
                    .map(GmsDouble.Proposal::entityUrn).collect(Collectors.toCollection(TreeSet::new));
            assertThat(jobs).as("one DataJob per stage").hasSize(2);
            String splitJob = jobs.stream().filter(urn -> urn.contains("split")).findFirst().orElseThrow();
            assertThat(gms.patched(splitJob, "dataJobInputOutput", "outputDatasetEdges"))
                    .as("the producer job's lineage shows both chunks").hasSize(2)
                    .allSatisfy(urn -> assertThat(urn).contains("orders/chunk-"));
        }
        assertThat(normalized(viaHub, toKafka.runs)).isEqualTo(normalized(direct, toDataHub.runs));
        assertThat(normalized(direct, toDataHub.runs)).anySatisfy(p -> assertThat(p).contains("dataProcessInstanceInput").contains("RUN-1"));

        Map<String, List<String>> marquezRuns = new LinkedHashMap<>();
        marquez.received().forEach(r -> marquezRuns.computeIfAbsent(r.runId(), k -> new ArrayList<>()).add(r.jobName() + " " + r.eventType()));
        assertThat(marquezRuns).hasSize(3).containsOnlyKeys(toKafka.runs.stream().map(UUID::toString).toList());
        assertThat(marquezRuns.get(toKafka.runs.get(0).toString())).containsExactly("orders_fanout.split START", "orders_fanout.split COMPLETE");
        assertThat(marquezRuns.get(toKafka.runs.get(2).toString())).containsExactly("orders_fanout.load START", "orders_fanout.load COMPLETE");
    }

    @Test
    void theHubDownHoldsNoWorkerAndEventsAreRetriedWithinTheBoundThenDropped() throws Exception {
        MarquezDouble marquez = new MarquezDouble();
        running.add(marquez);
        marquez.refuseConnections();
        LineageHub hub = LineageHub.builder("seed-workers", toMarquez(marquez))
                .retry(new RetryPolicy(Integer.MAX_VALUE, Duration.ofMillis(50), Duration.ofMillis(500), Duration.ofSeconds(20)))
                .build();
        running.add(hub);

        long start = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            worker(hub);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("30 runs while the hub is down").isLessThan(Duration.ofSeconds(2));
        Thread.sleep(2_000);
        assertThat(marquez.received()).isEmpty();
        marquez.recover();
        assertThat(hub.flush(Duration.ofSeconds(60))).isTrue();
        assertThat(hub.sent()).isEqualTo(60);
        assertThat(hub.dropped()).isZero();
        assertThat(marquez.received().stream().map(MarquezDouble.Received::runId).distinct()).hasSize(30);

        LineageHub impatient = LineageHub.builder("seed-workers", toMarquez(marquez))
                .retry(new RetryPolicy(Integer.MAX_VALUE, Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(400)))
                .build();
        running.add(impatient);
        marquez.refuseConnections();
        worker(impatient);
        assertThat(impatient.flush(Duration.ofSeconds(30))).isTrue();
        assertThat(impatient.dropped()).as("given up after the bound, counted").isEqualTo(6);
        assertThat(impatient.sent()).isZero();
    }

    private static long runEvents(GmsDouble gms) {
        return gms.accepted().stream().filter(p -> p.aspectName().equals("dataProcessInstanceRunEvent")).count();
    }

    private static Set<String> instances(GmsDouble gms) {
        return gms.accepted().stream().filter(p -> p.entityType().equals("dataProcessInstance"))
                .map(GmsDouble.Proposal::entityUrn).collect(Collectors.toSet());
    }

    /** What GMS holds, each distinct proposal once, with run ids replaced by the order the runs started in. */
    private static Set<String> normalized(GmsDouble gms, List<UUID> runs) {
        Set<String> proposals = new TreeSet<>();
        for (GmsDouble.Proposal proposal : gms.accepted()) {
            String text = proposal.entityType() + " " + proposal.entityUrn() + " " + proposal.aspectName() + " " + proposal.value();
            for (int i = 0; i < runs.size(); i++) {
                text = text.replace(runs.get(i).toString(), "RUN-" + i);
            }
            proposals.add(text);
        }
        return proposals;
    }

    private static HttpTransport toMarquez(MarquezDouble marquez) {
        return new HttpTransport(HttpTransport.Config.of(URI.create(marquez.url())).withTimeout(Duration.ofSeconds(2)));
    }
}
