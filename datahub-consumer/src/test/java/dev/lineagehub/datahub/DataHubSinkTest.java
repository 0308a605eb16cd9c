package dev.lineagehub.datahub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lineagehub.datahub.config.DataHubSettings;
import dev.lineagehub.datahub.mapping.MappingOptions;
import dev.lineagehub.datahub.sink.DataHubSink;
import dev.lineagehub.delivery.PermanentDeliveryException;
import dev.lineagehub.delivery.RetryableDeliveryException;
import dev.lineagehub.openlineage.OpenLineageEvent;
import dev.lineagehub.testing.SampleEvents;

import io.openlineage.client.OpenLineage.RunEvent.EventType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

class DataHubSinkTest {

    private final GmsDouble gms = new GmsDouble();
    private DataHubSink sink;

    DataHubSinkTest() throws Exception {
    }

    @AfterEach
    void close() throws Exception {
        if (sink != null) {
            sink.close();
        }
        gms.close();
    }

    @Test
    void datasetsArriveBeforeTemplatesAndTemplatesBeforeTheRun() throws Exception {
        sink = sink(Duration.ofHours(1), "secret-token");
        deliver(SampleEvents.airflowTask(EventType.COMPLETE, UUID.randomUUID(), UUID.randomUUID(), "orders_daily", "load"));

        List<GmsDouble.Proposal> accepted = gms.accepted();
        // Datasets (status, schema), the flow, then the job with its patches (edges, the datasets' namespace), then the
        // run and the operation it did on its output.
        assertThat(accepted).hasSize(4 + 2 + 2 + 3 + 5 + 1);
        assertThat(accepted.subList(0, 4)).extracting(GmsDouble.Proposal::entityType).containsOnly("dataset");
        assertThat(accepted.subList(4, 6)).extracting(GmsDouble.Proposal::entityType).containsOnly("dataFlow");
        assertThat(accepted.subList(6, 11)).extracting(GmsDouble.Proposal::entityType).containsOnly("dataJob", "dataset");
        assertThat(accepted.subList(11, 17)).extracting(GmsDouble.Proposal::aspectName).containsExactlyInAnyOrder(
                "dataProcessInstanceProperties", "dataProcessInstanceRelationships", "dataProcessInstanceInput",
                "dataProcessInstanceOutput", "dataProcessInstanceRunEvent", "operation");
        assertThat(accepted).extracting(GmsDouble.Proposal::authorization).containsOnly("Bearer secret-token");
    }

    @Test
    void unchangedDatasetsAndTemplatesAreSentOnceWhileTheRunsAspectsAlwaysGo() throws Exception {
        sink = sink(Duration.ofHours(1), null);
        UUID dagRun = UUID.randomUUID();
        deliver(SampleEvents.airflowTask(EventType.START, UUID.randomUUID(), dagRun, "orders_daily", "load"));
        int first = gms.accepted().size();

        UUID next = UUID.randomUUID();
        deliver(SampleEvents.airflowTask(EventType.START, next, dagRun, "orders_daily", "load"));
        deliver(SampleEvents.airflowTask(EventType.COMPLETE, next, dagRun, "orders_daily", "load"));

        List<GmsDouble.Proposal> later = gms.accepted().subList(first, gms.accepted().size());
        assertThat(later).filteredOn(p -> !p.aspectName().equals("operation"))
                .extracting(GmsDouble.Proposal::entityType).containsOnly("dataProcessInstance");
        assertThat(later).as("properties, relationships, input, output, run event per event; the COMPLETE's operation")
                .hasSize(2 * 5 + 1);
        assertThat(sink.proposalsSent()).isEqualTo(first + 11);
    }

    @Test
    void withoutTheCacheEveryAspectIsSentEveryTime() throws Exception {
        sink = sink(Duration.ZERO, null);
        UUID run = UUID.randomUUID();
        deliver(SampleEvents.sparkJob(EventType.START, run, "clicks"));
        deliver(SampleEvents.sparkJob(EventType.COMPLETE, run, "clicks"));
        // Datasets, flow, job, the job's edge patch, the output's column lineage patch, the datasets' namespace patches, the run.
        assertThat(gms.accepted()).hasSize(2 * (4 + 2 + 2 + 2 + 2 + 5));
    }

    @Test
    void aChangedAspectIsSentAgainDespiteTheCache() throws Exception {
        sink = sink(Duration.ofHours(1), null);
        deliver(SampleEvents.run(EventType.COMPLETE, UUID.randomUUID(), "airflow-prod", "dag.task",
                List.<String[]>of(new String[] {"postgres://db:5432", "shop.public.a"}), List.<String[]>of()));
        int first = gms.accepted().size();
        deliver(SampleEvents.run(EventType.COMPLETE, UUID.randomUUID(), "airflow-prod", "dag.task",
                List.<String[]>of(new String[] {"postgres://db:5432", "shop.public.b"}), List.<String[]>of()));
        assertThat(gms.accepted().subList(first, gms.accepted().size()))
                .extracting(GmsDouble.Proposal::aspectName)
                .contains("status", "datasetProperties", "dataJobInputOutput")
                .doesNotContain("dataFlowInfo", "dataJobInfo");
    }

    @Test
    void anEventIsOneRequestWhereGmsTakesBatchesAndOneRequestPerProposalWhereItDoesNot() throws Exception {
        sink = sink(Duration.ZERO, null);
        deliver(SampleEvents.sparkJob(EventType.START, UUID.randomUUID(), "clicks"));
        int proposals = gms.accepted().size();
        assertThat(gms.storingRequests()).as("all %d proposals of the event in one request", proposals).isEqualTo(1);

        gms.withoutBatches();
        deliver(SampleEvents.sparkJob(EventType.START, UUID.randomUUID(), "clicks"));
        deliver(SampleEvents.sparkJob(EventType.START, UUID.randomUUID(), "clicks"));
        assertThat(gms.accepted()).hasSize(3 * proposals);
        assertThat(gms.storingRequests()).as("one per proposal after the fallback").isEqualTo(1 + 2L * proposals);
        assertThat(gms.answered(404)).as("the missing batch action asked once, then remembered").isEqualTo(1);
    }

    @Test
    void aProposalGmsRefusesInABatchRefusesItsEventAloneAndStoresNothingOfIt() throws Exception {
        sink = sink(Duration.ZERO, null);
        gms.refuseProposalsFor("refused_dag");
        assertThatThrownBy(() -> deliver(SampleEvents.airflowTask(EventType.START, UUID.randomUUID(), UUID.randomUUID(), "refused_dag", "load")))
                .cause().isInstanceOf(PermanentDeliveryException.class)
                .satisfies(e -> assertThat(((PermanentDeliveryException) e).sinkStatus()).startsWith("HTTP 422"));
        assertThat(gms.accepted()).as("GMS checks a batch whole before it stores any of it").isEmpty();
        deliver(SampleEvents.airflowTask(EventType.START, UUID.randomUUID(), UUID.randomUUID(), "orders_daily", "load"));
        assertThat(gms.accepted()).isNotEmpty().extracting(GmsDouble.Proposal::entityUrn).noneMatch(urn -> urn.contains("refused_dag"));
    }

    @Test
    void aSchemaViolationIsPermanentAndCarriesGmsMessage() throws Exception {
        sink = sink(Duration.ZERO, null);
        gms.failWith(422, null, "{\"message\":\"[ERROR :: /created :: field is required but not found and has no default value]\",\"status\":422}");
        assertThatThrownBy(() -> deliver(SampleEvents.sparkJob(EventType.START, UUID.randomUUID(), "clicks")))
                .cause().isInstanceOf(PermanentDeliveryException.class)
                .satisfies(e -> assertThat(((PermanentDeliveryException) e).sinkStatus()).startsWith("HTTP 422").contains("/created"));
    }

    @Test
    void throttlingAndOutagesAreRetryableAndHonourRetryAfter() throws Exception {
        sink = sink(Duration.ZERO, null);
        gms.failWith(429, "7", "{\"message\":\"slow down\",\"status\":429}");
        assertThatThrownBy(() -> deliver(SampleEvents.sparkJob(EventType.START, UUID.randomUUID(), "clicks")))
                .cause().isInstanceOf(RetryableDeliveryException.class)
                .satisfies(e -> assertThat(((RetryableDeliveryException) e).retryAfter()).contains(Duration.ofSeconds(7)));
        gms.recover();
        gms.refuseConnections();
        assertThatThrownBy(() -> deliver(SampleEvents.sparkJob(EventType.START, UUID.randomUUID(), "clicks")))
                .cause().isInstanceOf(RetryableDeliveryException.class);
    }

    @Test
    void datasetAndJobEventsAreMappedAsDataHubsEndpointMapsThem() throws Exception {
        sink = sink(Duration.ZERO, null);
        sink.deliver(OpenLineageEvent.parse(SampleEvents.json(SampleEvents.datasetEvent()))).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(gms.accepted()).extracting(GmsDouble.Proposal::entityUrn, GmsDouble.Proposal::aspectName).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("urn:li:dataset:(urn:li:dataPlatform:postgres,shop.public.customers,PROD)", "status"),
                org.assertj.core.groups.Tuple.tuple("urn:li:dataset:(urn:li:dataPlatform:postgres,shop.public.customers,PROD)", "datasetProperties"),
                org.assertj.core.groups.Tuple.tuple("urn:li:dataset:(urn:li:dataPlatform:postgres,shop.public.customers,PROD)", "schemaMetadata"));

        sink.deliver(OpenLineageEvent.parse(SampleEvents.json(SampleEvents.jobEvent()))).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(gms.accepted()).extracting(GmsDouble.Proposal::entityType, GmsDouble.Proposal::aspectName).contains(
                org.assertj.core.groups.Tuple.tuple("dataFlow", "dataFlowInfo"), org.assertj.core.groups.Tuple.tuple("dataJob", "dataJobInfo"));
        assertThat(gms.accepted()).extracting(GmsDouble.Proposal::entityType).doesNotContain("dataProcessInstance");
    }

    @Test
    void aJobsLineageAccumulatesAcrossRunsAndEventsInsteadOfBeingReplaced() throws Exception {
        sink = sink(Duration.ofHours(1), null);
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        // One job, each run reading another chunk; a START that knows only its input, a COMPLETE only its output.
        deliver(SampleEvents.run(EventType.START, first, "etl", "fan_out.load", List.<String[]>of(new String[] {"s3://lake", "chunk-1"}), List.of()));
        deliver(SampleEvents.run(EventType.COMPLETE, first, "etl", "fan_out.load", List.of(),
                List.<String[]>of(new String[] {"postgres://db:5432", "shop.public.orders"})));
        deliver(SampleEvents.run(EventType.COMPLETE, second, "etl", "fan_out.load", List.<String[]>of(new String[] {"s3://lake", "chunk-2"}),
                List.<String[]>of(new String[] {"postgres://db:5432", "shop.public.orders"})));
        String job = "urn:li:dataJob:(urn:li:dataFlow:(airflow,fan_out,etl),fan_out.load)";
        assertThat(gms.patched(job, "dataJobInputOutput", "inputDatasetEdges")).containsExactlyInAnyOrder(
                "urn:li:dataset:(urn:li:dataPlatform:s3,lake/chunk-1,PROD)", "urn:li:dataset:(urn:li:dataPlatform:s3,lake/chunk-2,PROD)");
        assertThat(gms.patched(job, "dataJobInputOutput", "outputDatasetEdges"))
                .containsExactly("urn:li:dataset:(urn:li:dataPlatform:postgres,shop.public.orders,PROD)");
        assertThat(gms.accepted()).filteredOn(p -> p.aspectName().equals("dataJobInputOutput") || p.aspectName().equals("datasetProperties"))
                .as("patches only, never a replacing upsert (a native connector's dataset description stays)")
                .isNotEmpty().allSatisfy(p -> assertThat(p.value().isArray()).isTrue());
        assertThat(gms.patched("urn:li:dataset:(urn:li:dataPlatform:s3,lake/chunk-1,PROD)", "datasetProperties", "customProperties"))
                .containsExactly("namespace");
    }

    @Test
    void withAnOutputFileProposalsGoToAnMcpFileThatValidatesAgainstTheAspectSchemas(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("datahub/mcps.json");
        UUID run = UUID.randomUUID();
        sink = new DataHubSink(settings(Duration.ofHours(1), null, Optional.of(file)), Runnable::run);
        deliver(SampleEvents.airflowTask(EventType.START, run, run, "etl", "load"));
        deliver(SampleEvents.airflowTask(EventType.COMPLETE, run, run, "etl", "load"));
        sink.close();
        sink = null;

        JsonNode proposals = new ObjectMapper().readTree(file.toFile());
        assertThat(proposals.isArray()).isTrue();
        Set<String> entityTypes = new TreeSet<>();
        long runEvents = 0;
        for (JsonNode proposal : proposals) {
            entityTypes.add(proposal.path("entityType").asText());
            runEvents += "dataProcessInstanceRunEvent".equals(proposal.path("aspectName").asText()) ? 1 : 0;
            assertThat(proposal.path("changeType").asText()).isIn("UPSERT", "PATCH");
            assertThat(proposal.path("aspect").path("contentType").asText()).isEqualTo("application/json");
            String aspect = proposal.path("aspect").path("value").asText();
            String entityType = proposal.path("entityType").asText();
            String urn = proposal.path("entityUrn").asText();
            String aspectName = proposal.path("aspectName").asText();
            assertThat(proposal.path("changeType").asText().equals("PATCH") ? GmsDouble.patchViolation(entityType, urn, aspectName, aspect)
                    : GmsDouble.violation(entityType, urn, aspectName, aspect)).as(proposal.toString()).isNull();
        }
        assertThat(entityTypes).containsExactly("dataFlow", "dataJob", "dataProcessInstance", "dataset");
        assertThat(runEvents).isEqualTo(2);
        assertThat(gms.accepted()).as("nothing goes to GMS").isEmpty();
    }

    private DataHubSink sink(Duration cacheTtl, String token) throws IOException {
        return new DataHubSink(settings(cacheTtl, token, Optional.empty()), Runnable::run);
    }

    private DataHubSettings settings(Duration cacheTtl, String token, Optional<Path> outputFile) {
        return new DataHubSettings(URI.create(gms.url()), token, Duration.ofSeconds(5), 16,
                MappingOptions.defaults(), cacheTtl, 1000, outputFile, true);
    }

    private void deliver(Object event) throws InterruptedException, ExecutionException, java.util.concurrent.TimeoutException {
        sink.deliver(OpenLineageEvent.parse(SampleEvents.json(event))).toCompletableFuture().get(20, TimeUnit.SECONDS);
    }
}
