package dev.lineagehub.datahub;

import dev.lineagehub.protocol.TransportKey;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lineagehub.delivery.deadletter.DeadLetters;
import dev.lineagehub.runtime.ConsumerRuntime;
import dev.lineagehub.testing.Await;
import dev.lineagehub.testing.RealKafka;
import dev.lineagehub.testing.SampleEvents;
import dev.lineagehub.testing.TestEnv;
import dev.lineagehub.testing.TestKafka;

import com.fasterxml.jackson.databind.JsonNode;

import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineage.RunEvent.EventType;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** datahub-consumer end to end: a real Kafka broker, the consumer, and the validating GMS double. */
@ExtendWith(RealKafka.class)
class DataHubConsumerIntegrationTest {

    private static final String LAKE = "s3://lake";
    private final List<AutoCloseable> running = new ArrayList<>();
    private GmsDouble gms;

    @BeforeEach
    void startGms() throws Exception {
        gms = new GmsDouble();
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (AutoCloseable resource : running) {
            resource.close();
        }
        gms.close();
    }

    @Test
    void fanOutRunsGetTheirOwnInstancesAndDatasetsArriveFirst(TestKafka kafka) throws Exception {
        String topic = kafka.newTopic("openlineage-events", 3);
        UUID producerRun = UUID.randomUUID();
        UUID firstRun = UUID.randomUUID();
        UUID secondRun = UUID.randomUUID();
        // One producer run writes two chunks from one input; the same consumer job then runs twice on different chunks.
        publish(kafka, topic, List.of(
                lifecycle(producerRun, "ingest.split", List.of("raw/orders"), List.of("chunks/1", "chunks/2")),
                lifecycle(firstRun, "ingest.load", List.of("chunks/1"), List.of("tables/orders_1")),
                lifecycle(secondRun, "ingest.load", List.of("chunks/2"), List.of("tables/orders_2"))));

        startConsumer(kafka, topic, Map.of());
        // An event's proposals are sent concurrently: its run event may be accepted before its input and output aspects.
        Await.until(Duration.ofSeconds(60), () -> runEvents(gms.accepted()) == 6
                        && List.of(producerRun, firstRun, secondRun).stream().allMatch(run -> hasAspect(gms.accepted(), run,
                        "dataProcessInstanceInput") && hasAspect(gms.accepted(), run, "dataProcessInstanceOutput")),
                () -> runEvents(gms.accepted()) + " of 6 run events accepted, or an instance's inputs or outputs missing");

        List<GmsDouble.Proposal> accepted = gms.accepted();
        assertThat(datasetsOf(accepted, producerRun, "dataProcessInstanceInput")).containsExactly(dataset("raw/orders"));
        assertThat(datasetsOf(accepted, producerRun, "dataProcessInstanceOutput"))
                .containsExactlyInAnyOrder(dataset("chunks/1"), dataset("chunks/2"));
        assertThat(datasetsOf(accepted, firstRun, "dataProcessInstanceInput")).containsExactly(dataset("chunks/1"));
        assertThat(datasetsOf(accepted, firstRun, "dataProcessInstanceOutput")).containsExactly(dataset("tables/orders_1"));
        assertThat(datasetsOf(accepted, secondRun, "dataProcessInstanceInput")).containsExactly(dataset("chunks/2"));
        assertThat(datasetsOf(accepted, secondRun, "dataProcessInstanceOutput")).containsExactly(dataset("tables/orders_2"));
        assertThat(lastRunEvent(accepted, firstRun).path("status").asText()).isEqualTo("COMPLETE");
        assertDatasetsBeforeTheInstancesThatReferenceThem(accepted);
        assertThat(kafka.read(topic + "-datahub-dlq", 1, Duration.ofSeconds(1))).isEmpty();
    }

    @Test
    void gmsDownForTenSecondsLosesAndDeadLettersNothing(TestKafka kafka) throws Exception {
        String topic = kafka.newTopic("openlineage-events", 2);
        ConsumerRuntime consumer = startConsumer(kafka, topic, Map.of());
        Await.until(Duration.ofSeconds(60), () -> consumer.state() == org.apache.kafka.streams.KafkaStreams.State.RUNNING,
                () -> "consumer running");
        gms.refuseConnections();
        List<UUID> runs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            runs.add(UUID.randomUUID());
        }
        for (OpenLineage.RunEvent event : SampleEvents.interleaved(runs)) {
            kafka.send(topic, TransportKey.bytesOf(event), SampleEvents.json(event));
        }
        kafka.flush();
        Thread.sleep(10_000);
        assertThat(kafka.lag(consumer.applicationId(), topic)).as("no progress while GMS is down").isEqualTo(30);
        gms.recover();

        Await.until(Duration.ofSeconds(60), () -> runEvents(gms.accepted()) >= 30,
                () -> runEvents(gms.accepted()) + " of 30 run events accepted after recovery");
        for (UUID run : runs) {
            assertThat(runEventStatuses(gms.accepted(), run)).as("run %s in order", run)
                    .containsExactly("STARTED", "STARTED", "COMPLETE");
        }
        assertThat(kafka.read(topic + "-datahub-dlq", 1, Duration.ofSeconds(1))).isEmpty();
        Await.until(Duration.ofSeconds(30), () -> kafka.lag(consumer.applicationId(), topic) == 0, () -> "offsets committed");
    }

    @Test
    void aProposalGmsRefusesLandsOnTheDeadLetterTopicWithItsMessage(TestKafka kafka) throws Exception {
        String topic = kafka.newTopic("openlineage-events", 1);
        gms.refuseProposalsFor("refused_table");
        UUID refused = UUID.randomUUID();
        UUID fine = UUID.randomUUID();
        publish(kafka, topic, List.of(
                List.of(SampleEvents.run(EventType.COMPLETE, refused, "airflow-prod", "dag.bad", List.of(),
                        List.<String[]>of(new String[] {LAKE, "refused_table"}))),
                List.of(SampleEvents.run(EventType.COMPLETE, fine, "airflow-prod", "dag.good", List.of(),
                        List.<String[]>of(new String[] {LAKE, "fine_table"})))));

        startConsumer(kafka, topic, Map.of());
        List<ConsumerRecord<byte[], byte[]>> dead = kafka.read(topic + "-datahub-dlq", 1, Duration.ofSeconds(60));
        assertThat(dead).hasSize(1);
        assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8)).contains(refused.toString());
        assertThat(TestKafka.header(dead.get(0), DeadLetters.HEADER_REASON)).isEqualTo("SINK_REJECTED");
        assertThat(TestKafka.header(dead.get(0), DeadLetters.HEADER_SINK_STATUS)).startsWith("HTTP 422").contains("refused by the test");
        assertThat(TestKafka.header(dead.get(0), DeadLetters.HEADER_CONSUMER)).isEqualTo("datahub");
        Await.until(Duration.ofSeconds(30), () -> runEventStatuses(gms.accepted(), fine).size() == 1, () -> "the good run delivered");
        assertThat(runEventStatuses(gms.accepted(), refused)).as("nothing of the refused run after its dataset").isEmpty();
    }

    private ConsumerRuntime startConsumer(TestKafka kafka, String topic, Map<String, String> extra) throws Exception {
        Map<String, String> env = TestEnv.forConsumer(new DataHubConsumer(), kafka, "datahub-it-" + topic);
        env.put("LINEAGEHUB_DATAHUB_TOPIC", topic);
        env.put("LINEAGEHUB_DATAHUB_GMS_URL", gms.url());
        env.put("LINEAGEHUB_DATAHUB_KAFKA_COMMIT_INTERVAL_MS", "1000");
        env.putAll(extra);
        ConsumerRuntime consumer = ConsumerRuntime.start(new DataHubConsumer(), env);
        running.add(consumer);
        return consumer;
    }

    private static List<OpenLineage.RunEvent> lifecycle(UUID run, String job, List<String> inputs, List<String> outputs) {
        List<String[]> in = inputs.stream().map(name -> new String[] {LAKE, name}).toList();
        List<String[]> out = outputs.stream().map(name -> new String[] {LAKE, name}).toList();
        return List.of(SampleEvents.run(EventType.START, run, "airflow-prod", job, in, List.of()),
                SampleEvents.run(EventType.COMPLETE, run, "airflow-prod", job, in, out));
    }

    private static void publish(TestKafka kafka, String topic, List<List<OpenLineage.RunEvent>> runs) {
        for (List<OpenLineage.RunEvent> run : runs) {
            for (OpenLineage.RunEvent event : run) {
                kafka.send(topic, TransportKey.bytesOf(event), SampleEvents.json(event));
            }
        }
        kafka.flush();
    }

    private static String dataset(String name) {
        return "urn:li:dataset:(urn:li:dataPlatform:s3,lake/" + name + ",PROD)";
    }

    private static long runEvents(List<GmsDouble.Proposal> accepted) {
        return accepted.stream().filter(p -> p.aspectName().equals("dataProcessInstanceRunEvent")).count();
    }

    private static List<String> runEventStatuses(List<GmsDouble.Proposal> accepted, UUID run) {
        return accepted.stream().filter(p -> p.entityUrn().equals("urn:li:dataProcessInstance:" + run)
                        && p.aspectName().equals("dataProcessInstanceRunEvent"))
                .map(p -> p.value().path("status").asText()).toList();
    }

    private static JsonNode lastRunEvent(List<GmsDouble.Proposal> accepted, UUID run) {
        return accepted.stream().filter(p -> p.entityUrn().equals("urn:li:dataProcessInstance:" + run)
                && p.aspectName().equals("dataProcessInstanceRunEvent")).reduce((a, b) -> b).orElseThrow().value();
    }

    private static boolean hasAspect(List<GmsDouble.Proposal> accepted, UUID run, String aspect) {
        return accepted.stream().anyMatch(p -> p.entityUrn().equals("urn:li:dataProcessInstance:" + run) && p.aspectName().equals(aspect));
    }

    /** The last input or output set the run's instance was given. */
    private static List<String> datasetsOf(List<GmsDouble.Proposal> accepted, UUID run, String aspect) {
        String field = aspect.endsWith("Input") ? "inputs" : "outputs";
        JsonNode last = accepted.stream().filter(p -> p.entityUrn().equals("urn:li:dataProcessInstance:" + run)
                && p.aspectName().equals(aspect)).reduce((a, b) -> b).orElseThrow().value();
        List<String> urns = new ArrayList<>();
        last.path(field).forEach(urn -> urns.add(urn.asText()));
        return urns;
    }

    private static void assertDatasetsBeforeTheInstancesThatReferenceThem(List<GmsDouble.Proposal> accepted) {
        Set<String> stored = new HashSet<>();
        for (GmsDouble.Proposal proposal : accepted) {
            if (proposal.entityType().equals("dataset") && proposal.aspectName().equals("status")) {
                stored.add(proposal.entityUrn());
            }
            for (String field : List.of("inputs", "outputs")) {
                proposal.value().path(field).forEach(urn -> assertThat(stored)
                        .as("%s referenced by %s before GMS stored it", urn.asText(), proposal.entityUrn())
                        .contains(urn.asText()));
            }
        }
    }
}
