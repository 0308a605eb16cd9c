package dev.lineagehub.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineage.RunEvent.EventType;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The worker contract's state rules (seed 000), on what reaches the transport. */
class LineageEmitterTest {

    private static final Dataset RAW = Dataset.of("s3://landing", "orders/2026-12-01.csv");
    private static final Dataset CHUNK_1 = Dataset.of("s3://staging", "orders/chunk-1.parquet");
    private static final Dataset CHUNK_2 = Dataset.of("s3://staging", "orders/chunk-2.parquet");

    private final RecordingTransport transport = new RecordingTransport();
    private final LineageHub hub = LineageHub.builder("ingest-workers", transport).build();

    @AfterEach
    void close() {
        hub.close();
    }

    @Test
    void aRunCarriesItsInputsAndOutputsFromStartToCompleteAndTheNextRunStartsEmpty() throws Exception {
        LineageEmitter emitter = hub.emitter("fanout_producer");
        emitter.addInput(RAW);
        emitter.startRun();
        UUID first = emitter.runId();
        emitter.addOutput(CHUNK_1);
        emitter.addOutput(CHUNK_2);
        assertThat(emitter.inputs()).containsExactly(RAW);
        emitter.completeRun();
        assertThat(emitter.runId()).isNull();
        assertThat(emitter.inputs()).isEmpty();
        assertThat(emitter.outputs()).isEmpty();

        emitter.startRun();
        emitter.completeRun();

        List<OpenLineage.RunEvent> events = transport.sentBy(hub);
        assertThat(events).extracting(OpenLineage.RunEvent::getEventType)
                .containsExactly(EventType.START, EventType.COMPLETE, EventType.START, EventType.COMPLETE);
        assertThat(names(events.get(0).getInputs())).containsExactly("orders/2026-12-01.csv");
        assertThat(names(events.get(1).getOutputs())).containsExactly("orders/chunk-1.parquet", "orders/chunk-2.parquet");
        assertThat(events.get(1).getRun().getRunId()).isEqualTo(first);
        assertThat(events.get(2).getRun().getRunId()).isNotEqualTo(first);
        assertThat(events.get(3).getInputs()).isEmpty();
        assertThat(events.get(3).getOutputs()).isEmpty();
        assertThat(events).allSatisfy(event -> {
            assertThat(event.getProducer()).isEqualTo(emitter.producer());
            assertThat(event.getJob().getNamespace()).isEqualTo("ingest-workers");
            assertThat(event.getRun().getRunId().version()).isEqualTo(7);
        });
    }

    @Test
    void theStageOfStartRunOverridesTheEmittersForThatRunOnly() throws Exception {
        LineageEmitter emitter = hub.emitter("orders", "extract");
        emitter.startRun("load", null);
        emitter.completeRun();
        emitter.startRun();
        emitter.completeRun();

        assertThat(transport.sentBy(hub)).extracting(e -> e.getJob().getName())
                .containsExactly("orders.load", "orders.load", "orders.extract", "orders.extract");
    }

    @Test
    void runFacetsGoOnEveryEventOfTheRunAndResetIoClearsTheDatasets() throws Exception {
        LineageEmitter emitter = hub.emitter("consumer_job");
        OpenLineage ol = new OpenLineage(emitter.producer());
        OpenLineage.RunFacet batch = ol.newRunFacet();
        batch.getAdditionalProperties().put("batch", 7);
        emitter.setRunFacets(Map.of("worker_batch", batch));
        emitter.addInput(CHUNK_1);
        emitter.startRun();
        emitter.resetIo();
        emitter.addInput(CHUNK_2);
        emitter.completeRun();

        List<OpenLineage.RunEvent> events = transport.sentBy(hub);
        assertThat(events).allSatisfy(e -> assertThat(e.getRun().getFacets().getAdditionalProperties()).containsKey("worker_batch"));
        assertThat(names(events.get(0).getInputs())).containsExactly("orders/chunk-1.parquet");
        assertThat(names(events.get(1).getInputs())).containsExactly("orders/chunk-2.parquet");
    }

    @Test
    void failRunEmitsFailWithTheMessageForTheCurrentRunOrTheOneNamed() throws Exception {
        LineageEmitter emitter = hub.emitter("consumer_job");
        emitter.startRun();
        emitter.addInput(CHUNK_1);
        UUID failed = emitter.runId();
        emitter.failRun("chunk-1 is truncated", null);
        assertThat(emitter.runId()).isNull();
        UUID earlier = UUID.randomUUID();
        emitter.failRun("lost worker", earlier);

        List<OpenLineage.RunEvent> events = transport.sentBy(hub);
        assertThat(events).extracting(OpenLineage.RunEvent::getEventType).containsExactly(EventType.START, EventType.FAIL, EventType.FAIL);
        assertThat(events.get(1).getRun().getRunId()).isEqualTo(failed);
        assertThat(events.get(1).getRun().getFacets().getErrorMessage().getMessage()).isEqualTo("chunk-1 is truncated");
        assertThat(names(events.get(1).getInputs())).containsExactly("orders/chunk-1.parquet");
        assertThat(events.get(2).getRun().getRunId()).isEqualTo(earlier);
        assertThat(events.get(2).getRun().getFacets().getErrorMessage().getMessage()).isEqualTo("lost worker");
    }

    @Test
    void misuseIsAnIllegalArgumentAndChangesNothing() {
        LineageEmitter emitter = hub.emitter("consumer_job");
        assertThatThrownBy(emitter::completeRun).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("startRun");
        assertThatThrownBy(() -> emitter.failRun("x", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> emitter.addInput(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Dataset.of("", "t")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("namespace");
        assertThatThrownBy(() -> Dataset.of("s3://b", " ")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
        assertThatThrownBy(() -> hub.emitter(" ")).isInstanceOf(IllegalArgumentException.class);
        emitter.startRun();
        assertThatThrownBy(emitter::startRun).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("still open");
    }

    @Test
    void theSameDatasetAddedTwiceIsOneInputWithTheLatestFacets() throws Exception {
        LineageEmitter emitter = hub.emitter("job");
        OpenLineage ol = new OpenLineage(URI.create("https://example.com/test"));
        emitter.startRun();
        emitter.addInput(RAW);
        emitter.addInput(RAW.with("version", ol.newDatasetVersionDatasetFacetBuilder().datasetVersion("42").build()));
        emitter.completeRun();

        List<OpenLineage.InputDataset> inputs = transport.sentBy(hub).get(1).getInputs();
        assertThat(inputs).hasSize(1);
        assertThat(inputs.get(0).getFacets().getVersion().getDatasetVersion()).isEqualTo("42");
    }

    @Test
    void deliveryFailuresNeverReachTheWorker() throws Exception {
        transport.failAlways(dev.lineagehub.sdk.client.Failures.unauthorized(401));
        LineageEmitter emitter = hub.emitter("job");
        emitter.startRun();
        emitter.completeRun();
        assertThat(hub.flush(Duration.ofSeconds(5))).isTrue();
        assertThat(hub.dropped()).isEqualTo(2);
        assertThat(hub.sent()).isZero();
    }

    private static List<String> names(List<? extends OpenLineage.Dataset> datasets) {
        return datasets.stream().map(OpenLineage.Dataset::getName).toList();
    }

    @Test
    void eightThreadsSharingOneEmitterRunFiftyRunsEachAndTheirDatasetsNeverCross() throws Exception {
        LineageEmitter emitter = hub.emitter("shared_job");
        java.util.concurrent.ExecutorService workers = java.util.concurrent.Executors.newFixedThreadPool(8);
        java.util.concurrent.CountDownLatch together = new java.util.concurrent.CountDownLatch(8);
        List<java.util.concurrent.Future<List<UUID>>> started = new java.util.ArrayList<>();
        for (int worker = 0; worker < 8; worker++) {
            String name = "worker-" + worker;
            started.add(workers.submit(() -> {
                together.countDown();
                together.await();
                List<UUID> runs = new java.util.ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    emitter.addInput(Dataset.of("s3://in", name + "/" + i));
                    emitter.startRun();
                    runs.add(emitter.runId());
                    emitter.addOutput(Dataset.of("s3://out", name + "/" + i));
                    if (i % 10 == 9) {
                        emitter.failRun("unit " + i + " failed", null);
                    } else {
                        emitter.completeRun();
                    }
                }
                return runs;
            }));
        }
        Map<UUID, String> workerOf = new java.util.HashMap<>();
        for (int worker = 0; worker < 8; worker++) {
            for (UUID run : started.get(worker).get(60, java.util.concurrent.TimeUnit.SECONDS)) {
                workerOf.put(run, "worker-" + worker + "/");
            }
        }
        workers.shutdown();
        assertThat(workerOf).hasSize(400);
        List<OpenLineage.RunEvent> events = transport.sentBy(hub);
        assertThat(events).hasSize(800);
        Map<UUID, List<OpenLineage.RunEvent>> byRun = new java.util.HashMap<>();
        events.forEach(event -> byRun.computeIfAbsent(event.getRun().getRunId(), run -> new java.util.ArrayList<>()).add(event));
        assertThat(byRun.keySet()).isEqualTo(workerOf.keySet());
        byRun.forEach((run, its) -> {
            assertThat(its).extracting(OpenLineage.RunEvent::getEventType).hasSize(2).first().isEqualTo(EventType.START);
            String prefix = workerOf.get(run);
            its.forEach(event -> {
                assertThat(names(event.getInputs())).allSatisfy(name -> assertThat(name).startsWith(prefix));
                assertThat(names(event.getOutputs())).allSatisfy(name -> assertThat(name).startsWith(prefix));
            });
            OpenLineage.RunEvent last = its.get(1);
            assertThat(names(last.getInputs())).hasSize(1);
            assertThat(names(last.getOutputs())).hasSize(1);
        });
    }
}
