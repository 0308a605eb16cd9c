package dev.lineagehub.datahub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lineagehub.datahub.mapping.MappedEvent;
import dev.lineagehub.datahub.mapping.MappingOptions;
import dev.lineagehub.datahub.mapping.RunEventMapper;
import dev.lineagehub.testing.SampleEvents;

import com.linkedin.data.codec.JacksonDataCodec;
import com.linkedin.dataprocess.DataProcessInstanceProperties;
import com.linkedin.dataprocess.DataProcessInstanceRelationships;
import com.linkedin.dataprocess.DataProcessInstanceRunEvent;
import com.linkedin.dataprocess.DataProcessRunStatus;
import com.linkedin.dataprocess.RunResultType;
import com.linkedin.schema.SchemaMetadata;

import datahub.event.MetadataChangeProposalWrapper;

import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineage.RunEvent.EventType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

class RunEventMapperTest {

    private static final JacksonDataCodec CODEC = new JacksonDataCodec();
    private static final UUID RUN = UUID.fromString("5f2b0c3e-1c3a-4bb8-9a55-0d1d3c1c9b11");
    private static final UUID DAG_RUN = UUID.fromString("0b7e2c39-6a51-4c8c-9d86-1c4c1b0e2f33");

    private final RunEventMapper mapper = new RunEventMapper(MappingOptions.defaults());

    @ParameterizedTest
    @EnumSource(value = EventType.class, names = {"START", "RUNNING", "COMPLETE", "FAIL", "ABORT"})
    void everyProposalOfEverySampleIsValidForGms(EventType type) throws IOException {
        for (OpenLineage.RunEvent event : List.of(SampleEvents.airflowTask(type, RUN, DAG_RUN, "orders_daily", "load"),
                SampleEvents.sparkJob(type, RUN, "clicks"), SampleEvents.dbtModel(type, RUN, DAG_RUN, "customers"))) {
            assertValidForGms(mapper.map(event), event.getProducer());
        }
    }

    private static void assertValidForGms(MappedEvent mapped, Object producer) throws IOException {
        for (MetadataChangeProposalWrapper<?> proposal : all(mapped)) {
            assertThat(GmsDouble.violation(proposal.getEntityType(), proposal.getEntityUrn(), proposal.getAspectName(),
                    CODEC.mapToString((com.linkedin.data.DataMap) proposal.getAspect().data())))
                    .as("%s of %s from %s", proposal.getAspectName(), proposal.getEntityUrn(), producer)
                    .isNull();
        }
        for (com.linkedin.mxe.MetadataChangeProposal patch : mapped.patches()) {
            assertThat(GmsDouble.patchViolation(patch.getEntityType(), patch.getEntityUrn().toString(), patch.getAspectName(),
                    patch.getAspect().getValue().asString(java.nio.charset.StandardCharsets.UTF_8)))
                    .as("%s of %s from %s", patch.getAspectName(), patch.getEntityUrn(), producer).isNull();
        }
    }

    @Test
    void airflowTaskMapsToDatasetsThenTemplatesThenOneInstancePerRun() {
        MappedEvent mapped = mapper.map(SampleEvents.airflowTask(EventType.COMPLETE, RUN, DAG_RUN, "orders_daily", "load"));

        assertThat(mapped.datasets()).extracting(MetadataChangeProposalWrapper::getEntityUrn, MetadataChangeProposalWrapper::getAspectName)
                .containsExactly(
                        tuple("urn:li:dataset:(urn:li:dataPlatform:postgres,shop.public.orders,PROD)", "status"),
                        tuple("urn:li:dataset:(urn:li:dataPlatform:postgres,shop.public.orders,PROD)", "schemaMetadata"),
                        tuple("urn:li:dataset:(urn:li:dataPlatform:s3,analytics-lake/daily/orders,PROD)", "status"),
                        tuple("urn:li:dataset:(urn:li:dataPlatform:s3,analytics-lake/daily/orders,PROD)", "schemaMetadata"));
        // The namespace as a custom property patched in: a native connector's name and description stay.
        assertThat(mapped.patches()).filteredOn(p -> p.getAspectName().equals("datasetProperties"))
                .extracting(p -> p.getEntityUrn().toString() + " " + p.getAspect().getValue().asString(java.nio.charset.StandardCharsets.UTF_8))
                .containsExactly("urn:li:dataset:(urn:li:dataPlatform:postgres,shop.public.orders,PROD) "
                                + "[{\"op\":\"add\",\"path\":\"/customProperties/namespace\",\"value\":\"postgres://orders-db.internal:5432\"}]",
                        "urn:li:dataset:(urn:li:dataPlatform:s3,analytics-lake/daily/orders,PROD) "
                                + "[{\"op\":\"add\",\"path\":\"/customProperties/namespace\",\"value\":\"s3://analytics-lake\"}]");
        String flow = "urn:li:dataFlow:(airflow,orders_daily,airflow-prod)";
        String job = "urn:li:dataJob:(" + flow + ",orders_daily.load)";
        assertThat(mapped.templates()).extracting(MetadataChangeProposalWrapper::getEntityUrn, MetadataChangeProposalWrapper::getAspectName)
                .containsExactly(tuple(flow, "dataFlowInfo"), tuple(flow, "status"), tuple(job, "dataJobInfo"), tuple(job, "status"));
        assertThat(mapped.patches()).extracting(p -> p.getEntityUrn().toString(), com.linkedin.mxe.MetadataChangeProposal::getAspectName)
                .contains(tuple(job, "dataJobInputOutput"));
        // The DAG that ran the task, as an input job edge (the converter adds one), named as the DAG's own events name it.
        assertThat(mapped.patches()).filteredOn(p -> p.getAspectName().equals("dataJobInputOutput")).singleElement()
                .extracting(p -> p.getAspect().getValue().asString(java.nio.charset.StandardCharsets.UTF_8)).asString()
                .contains("{\"op\":\"add\",\"path\":\"/inputDatajobEdges/urn:li:dataJob:(urn:li:dataFlow:(airflow,orders_daily,airflow-prod),"
                        + "orders_daily)\",\"value\":{\"destinationUrn\":\"urn:li:dataJob:(urn:li:dataFlow:(airflow,orders_daily,airflow-prod),"
                        + "orders_daily)\"}}");
        assertThat(mapped.instance()).extracting(MetadataChangeProposalWrapper::getAspectName).containsExactly(
                "dataProcessInstanceProperties", "dataProcessInstanceRelationships", "dataProcessInstanceInput",
                "dataProcessInstanceOutput", "dataProcessInstanceRunEvent", "operation");
        assertThat(mapped.instance()).extracting(MetadataChangeProposalWrapper::getEntityUrn).containsExactly(
                "urn:li:dataProcessInstance:" + RUN, "urn:li:dataProcessInstance:" + RUN, "urn:li:dataProcessInstance:" + RUN,
                "urn:li:dataProcessInstance:" + RUN, "urn:li:dataProcessInstance:" + RUN,
                "urn:li:dataset:(urn:li:dataPlatform:s3,analytics-lake/daily/orders,PROD)");

        DataProcessInstanceRelationships relationships = aspect(mapped.instance(), DataProcessInstanceRelationships.class);
        assertThat(relationships.getParentTemplate().toString()).isEqualTo(job);
        assertThat(relationships.getParentInstance().toString()).isEqualTo("urn:li:dataProcessInstance:" + DAG_RUN);
        assertThat(relationships.getUpstreamInstances()).isEmpty();
        DataProcessInstanceProperties properties = aspect(mapped.instance(), DataProcessInstanceProperties.class);
        assertThat(properties.getCreated().getTime()).as("nominal start time").isEqualTo(java.time.Instant.parse("2026-11-20T06:00:00Z").toEpochMilli());
        assertThat(aspect(mapped.templates(), com.linkedin.datajob.DataJobInfo.class).getCustomProperties())
                .containsEntry("sql", "INSERT INTO analytics.daily_orders SELECT * FROM public.orders");
    }

    @Test
    void startRunningAndCompleteOfOneRunLandOnTheSameInstance() {
        List<String> urns = new ArrayList<>();
        for (EventType type : List.of(EventType.START, EventType.RUNNING, EventType.COMPLETE)) {
            urns.add(mapper.map(SampleEvents.sparkJob(type, RUN, "clicks")).instance().get(0).getEntityUrn());
        }
        assertThat(urns).containsOnly("urn:li:dataProcessInstance:" + RUN);
    }

    @Test
    void runStatesFollowDataHubsTwoStatusesWithAResult() {
        assertThat(runEvent(EventType.START).getStatus()).isEqualTo(DataProcessRunStatus.STARTED);
        assertThat(runEvent(EventType.RUNNING).getStatus()).isEqualTo(DataProcessRunStatus.STARTED);
        assertThat(runEvent(EventType.START).hasResult()).isFalse();
        assertThat(runEvent(EventType.COMPLETE).getResult().getType()).isEqualTo(RunResultType.SUCCESS);
        assertThat(runEvent(EventType.FAIL).getStatus()).isEqualTo(DataProcessRunStatus.COMPLETE);
        assertThat(runEvent(EventType.FAIL).getResult().getType()).isEqualTo(RunResultType.FAILURE);
        assertThat(runEvent(EventType.FAIL).getResult().getNativeResultType()).isEqualTo("FAIL");
        assertThat(runEvent(EventType.ABORT).getResult().getType()).as("as DataHub's converter maps ABORT").isEqualTo(RunResultType.FAILURE);
    }

    @Test
    void aFailedRunKeepsTheErrorMessageAndStackTrace() {
        MappedEvent mapped = mapper.map(SampleEvents.airflowTask(EventType.FAIL, RUN, DAG_RUN, "orders_daily", "load"));
        assertThat(aspect(mapped.instance(), DataProcessInstanceProperties.class).getCustomProperties())
                .containsEntry("errorMessage", "psycopg2.errors.UndefinedTable: relation \"public.orders_raw\" does not exist")
                .hasEntrySatisfying("stackTrace", trace -> assertThat(trace).startsWith("Traceback (most recent call last):"));
    }

    @Test
    void columnLineageBecomesFineGrainedLineageBetweenSchemaFields() throws IOException {
        MappedEvent mapped = mapper.map(SampleEvents.sparkJob(EventType.COMPLETE, RUN, "clicks"));
        String output = "urn:li:dataset:(urn:li:dataPlatform:hdfs,/warehouse/clicks_by_user,PROD)";
        String input = "urn:li:dataset:(urn:li:dataPlatform:s3,raw-events/clicks/2026/11/20,PROD)";
        com.linkedin.mxe.MetadataChangeProposal upstreams = mapped.patches().stream()
                .filter(p -> p.getAspectName().equals("upstreamLineage")).findFirst().orElseThrow();
        assertThat(upstreams.getEntityUrn().toString()).isEqualTo(output);
        com.fasterxml.jackson.databind.JsonNode ops = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(upstreams.getAspect().getValue().asString(java.nio.charset.StandardCharsets.UTF_8));
        List<String> paths = new ArrayList<>();
        ops.forEach(op -> paths.add(op.path("path").asText()));
        assertThat(paths).contains("/upstreams/" + esc(input),
                "/fineGrainedLineages/TRANSFORM/" + esc("urn:li:schemaField:(" + output + ",clicks)") + "/NONE/"
                        + esc("urn:li:schemaField:(" + input + ",url)"));
        assertThat(paths).hasSize(1 + 2);
        SchemaMetadata schema = aspect(mapped.datasets(), SchemaMetadata.class);
        assertThat(schema.getFields()).extracting(f -> f.getFieldPath()).containsExactly("user_id", "url", "ts");
    }

    @Test
    void orchestratorComesFromConfigThenJobTypeThenEngineThenProducerThenTheDefault() {
        OpenLineage ol = new OpenLineage(java.net.URI.create("https://example.com/our-own-scheduler"));
        OpenLineage.RunEvent bare = ol.newRunEventBuilder().eventType(EventType.START)
                .eventTime(java.time.ZonedDateTime.parse("2026-11-20T06:00:00Z"))
                .run(ol.newRunBuilder().runId(RUN).build())
                .job(ol.newJobBuilder().namespace("jobs").name("nightly.export").build())
                .build();
        assertThat(flowOf(mapper.map(bare))).isEqualTo("urn:li:dataFlow:(openlineage,nightly,jobs)");
        RunEventMapper fixed = new RunEventMapper(new MappingOptions(com.linkedin.common.FabricType.PROD, "", false, "prefect", "x"));
        assertThat(flowOf(fixed.map(bare))).isEqualTo("urn:li:dataFlow:(prefect,nightly,jobs)");
        assertThat(flowOf(mapper.map(SampleEvents.dbtModel(EventType.START, RUN, DAG_RUN, "m")))).startsWith("urn:li:dataFlow:(dbt,");
        assertThat(flowOf(mapper.map(SampleEvents.sparkJob(EventType.START, RUN, "clicks")))).startsWith("urn:li:dataFlow:(spark,");
    }

    @Test
    void anEventWithoutDatasetsDoesNotWipeTheJobsLineage() {
        OpenLineage.RunEvent noDatasets = SampleEvents.run(EventType.START, RUN, "airflow-prod", "dag.task", List.of(), List.of());
        MappedEvent mapped = mapper.map(noDatasets);
        assertThat(mapped.datasets()).isEmpty();
        assertThat(mapped.templates()).extracting(MetadataChangeProposalWrapper::getAspectName).doesNotContain("dataJobInputOutput");
        assertThat(mapped.instance()).extracting(MetadataChangeProposalWrapper::getAspectName)
                .doesNotContain("dataProcessInstanceInput", "dataProcessInstanceOutput");
    }

    private DataProcessInstanceRunEvent runEvent(EventType type) {
        return aspect(mapper.map(SampleEvents.airflowTask(type, RUN, DAG_RUN, "d", "t")).instance(), DataProcessInstanceRunEvent.class);
    }

    /** A sample event rewritten as JSON: the event type, or any text, replaced. */
    private static OpenLineage.RunEvent rewritten(OpenLineage.RunEvent event, String from, String to) {
        String json = io.openlineage.client.OpenLineageClientUtils.toJson(event);
        assertThat(json).contains(from);
        return io.openlineage.client.OpenLineageClientUtils.runEventFromJson(json.replace(from, to));
    }

    @Test
    void aCompleteWithAnErrorMessageFailed() {
        OpenLineage.RunEvent complete = rewritten(SampleEvents.airflowTask(EventType.FAIL, RUN, DAG_RUN, "d", "t"),
                "\"eventType\":\"FAIL\"", "\"eventType\":\"COMPLETE\"");
        DataProcessInstanceRunEvent runEvent = aspect(mapper.map(complete).instance(), DataProcessInstanceRunEvent.class);
        assertThat(runEvent.getResult().getType()).isEqualTo(RunResultType.FAILURE);
        assertThat(runEvent.getResult().getNativeResultType()).isEqualTo("COMPLETE");
    }

    @Test
    void streamingJobsAreNotBatch() {
        OpenLineage.RunEvent streaming = rewritten(SampleEvents.sparkJob(EventType.START, RUN, "clicks"),
                "\"processingType\":\"BATCH\"", "\"processingType\":\"STREAMING\"");
        MappedEvent mapped = mapper.map(streaming);
        assertThat(aspect(mapped.instance(), DataProcessInstanceProperties.class).getType())
                .isEqualTo(com.linkedin.dataprocess.DataProcessType.STREAMING);
        assertThat(aspect(mapped.jobs(), com.linkedin.datajob.DataJobInfo.class).getType().getString()).isEqualTo("STREAMING");

        OpenLineage.RunEvent flink = SampleEvents.run(EventType.START, RUN, "flink-jobs", "orders-enrichment",
                List.<String[]>of(new String[] {"kafka://broker:9092", "orders"}), List.<String[]>of(new String[] {"kafka://broker:9092", "orders_enriched"}));
        flink = rewritten(flink, "\"producer\":\"", "\"producer\":\"https://github.com/OpenLineage/OpenLineage/tree/1.30.0/integration/flink#");
        assertThat(aspect(mapper.map(flink).jobs(), com.linkedin.datajob.DataJobInfo.class).getType().getString())
                .as("Flink without a jobType facet").isEqualTo("STREAMING");
    }

    @Test
    void theDataFlowIsItsOwnStageBeforeTheDataJob() {
        MappedEvent mapped = mapper.map(SampleEvents.airflowTask(EventType.START, RUN, DAG_RUN, "orders_daily", "load"));
        assertThat(mapped.flows()).extracting(MetadataChangeProposalWrapper::getEntityType).containsOnly("dataFlow");
        assertThat(mapped.jobs()).extracting(MetadataChangeProposalWrapper::getEntityType).containsOnly("dataJob");
    }

    @Test
    void urnDelimitersInNamesAreEncodedAndAnOverlongNameIsAnInvalidUrn() throws Exception {
        OpenLineage.RunEvent event = SampleEvents.run(EventType.START, RUN, "etl", "load(orders, eu)",
                List.<String[]>of(new String[] {"postgres://db:5432", "shop.public.orders,eu"}),
                List.<String[]>of(new String[] {"hdfs://nn:8020", "/out/(unbalanced"}));
        MappedEvent mapped = mapper.map(event);
        assertThat(all(mapped)).extracting(p -> p.getEntityUrn().toString()).contains(
                "urn:li:dataset:(urn:li:dataPlatform:postgres,shop.public.orders%2Ceu,PROD)",
                "urn:li:dataset:(urn:li:dataPlatform:hdfs,/out/%28unbalanced,PROD)",
                "urn:li:dataJob:(urn:li:dataFlow:(airflow,load%28orders%2C eu%29,etl),load%28orders%2C eu%29)");
        for (MetadataChangeProposalWrapper<?> proposal : all(mapped)) {
            assertThat(com.linkedin.common.urn.Urn.createFromString(proposal.getEntityUrn().toString()).toString())
                    .as("parses back").isEqualTo(proposal.getEntityUrn().toString());
        }

        OpenLineage.RunEvent overlong = SampleEvents.run(EventType.START, RUN, "etl", "load",
                List.<String[]>of(new String[] {"s3://bucket", "x/".repeat(300)}), List.of());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> mapper.map(overlong))
                .isInstanceOf(dev.lineagehub.datahub.mapping.InvalidUrnException.class)
                .hasMessageContaining("more than DataHub");
    }

    @Test
    void tableSymlinksNameTheTableAsTheConverterDoesButATopicKeepsItsOwnUrn() {
        OpenLineage ol = new OpenLineage(java.net.URI.create("https://github.com/OpenLineage/OpenLineage/tree/1.30.0/integration/spark"));
        OpenLineage.RunEvent event = ol.newRunEventBuilder().eventType(EventType.COMPLETE).eventTime(java.time.ZonedDateTime.now())
                .run(ol.newRunBuilder().runId(RUN).build())
                .job(ol.newJobBuilder().namespace("spark-cluster-a").name("etl.insert").build())
                .inputs(List.of(
                        ol.newInputDatasetBuilder().namespace("hdfs://nn:8020").name("/user/hive/warehouse/t1").facets(ol.newDatasetFacetsBuilder()
                                .symlinks(ol.newSymlinksDatasetFacetBuilder().identifiers(List.of(ol.newSymlinksDatasetFacetIdentifiersBuilder()
                                        .namespace("hive://metastore:9083").name("default.t1").type("TABLE").build())).build()).build()).build(),
                        ol.newInputDatasetBuilder().namespace("s3://lake").name("raw/orders").facets(ol.newDatasetFacetsBuilder()
                                .symlinks(ol.newSymlinksDatasetFacetBuilder().identifiers(List.of(ol.newSymlinksDatasetFacetIdentifiersBuilder()
                                        .namespace("arn:aws:glue:eu-west-1:123456789012").name("table/shop/orders").type("TABLE").build()))
                                        .build()).build()).build(),
                        // Spark's warehouse location as the symlink's namespace, as Dataproc and local Spark write it.
                        ol.newInputDatasetBuilder().namespace("hdfs://dataproc-producer-test-m").name("/user/hive/warehouse/t2")
                                .facets(ol.newDatasetFacetsBuilder().symlinks(ol.newSymlinksDatasetFacetBuilder().identifiers(List.of(
                                        ol.newSymlinksDatasetFacetIdentifiersBuilder().namespace("hdfs://dataproc-producer-test-m/user/hive/warehouse")
                                                .name("default.t2").type("TABLE").build())).build()).build()).build(),
                        ol.newInputDatasetBuilder().namespace("file").name("/tmp/spark-warehouse/t3").facets(ol.newDatasetFacetsBuilder()
                                .symlinks(ol.newSymlinksDatasetFacetBuilder().identifiers(List.of(ol.newSymlinksDatasetFacetIdentifiersBuilder()
                                        .namespace("file:/tmp/spark-warehouse").name("default.t3").type("TABLE").build())).build()).build()).build(),
                        ol.newInputDatasetBuilder().namespace("kafka://broker:9092").name("clicks").facets(ol.newDatasetFacetsBuilder()
                                .symlinks(ol.newSymlinksDatasetFacetBuilder().identifiers(List.of(ol.newSymlinksDatasetFacetIdentifiersBuilder()
                                        .namespace("flink-catalog://default").name("default_database.clicks").type("TABLE").build()))
                                        .build()).build()).build()))
                .outputs(List.of())
                .build();
        String edges = mapper.map(event).patches().stream().filter(p -> p.getAspectName().equals("dataJobInputOutput")).findFirst()
                .orElseThrow().getAspect().getValue().asString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(edges).contains("\"destinationUrn\":\"urn:li:dataset:(urn:li:dataPlatform:hive,default.t1,PROD)\"",
                "\"destinationUrn\":\"urn:li:dataset:(urn:li:dataPlatform:glue,shop.orders,PROD)\"",
                "\"destinationUrn\":\"urn:li:dataset:(urn:li:dataPlatform:hive,default.t2,PROD)\"",
                "\"destinationUrn\":\"urn:li:dataset:(urn:li:dataPlatform:hive,default.t3,PROD)\"",
                "\"destinationUrn\":\"urn:li:dataset:(urn:li:dataPlatform:kafka,clicks,PROD)\"");
    }

    @Test
    void theOwnershipFacetNamesUsersAndGroupsOnTheJobWithTypesDataHubKnows() throws IOException {
        OpenLineage ol = new OpenLineage(java.net.URI.create("https://github.com/OpenLineage/OpenLineage/tree/1.30.0/integration/airflow"));
        OpenLineage.RunEvent event = ol.newRunEventBuilder().eventType(EventType.START).eventTime(java.time.ZonedDateTime.now())
                .run(ol.newRunBuilder().runId(RUN).build())
                .job(ol.newJobBuilder().namespace("airflow-prod").name("orders_daily.load").facets(ol.newJobFacetsBuilder()
                        .ownership(ol.newOwnershipJobFacetBuilder().owners(List.of(
                                ol.newOwnershipJobFacetOwnersBuilder().name("user:alice").type("DATAOWNER").build(),
                                ol.newOwnershipJobFacetOwnersBuilder().name("team:data-platform").build(),
                                ol.newOwnershipJobFacetOwnersBuilder().name("bob").type("MAINTAINER").build())).build()).build()).build())
                .build();
        MappedEvent mapped = mapper.map(event);
        String job = "urn:li:dataJob:(urn:li:dataFlow:(airflow,orders_daily,airflow-prod),orders_daily.load)";
        // Patched in, on the job only (as DataHub's converter does): owners set in DataHub stay, the flow's are its own.
        assertThat(mapped.patches()).filteredOn(p -> p.getAspectName().equals("ownership"))
                .extracting(p -> p.getEntityUrn().toString() + " " + p.getAspect().getValue().asString(java.nio.charset.StandardCharsets.UTF_8))
                .containsExactly(job + " [{\"op\":\"add\",\"path\":\"/owners/urn:li:corpuser:alice/DATAOWNER\","
                        + "\"value\":{\"owner\":\"urn:li:corpuser:alice\",\"type\":\"DATAOWNER\"}},"
                        + "{\"op\":\"add\",\"path\":\"/owners/urn:li:corpGroup:data-platform/TECHNICAL_OWNER\","
                        + "\"value\":{\"owner\":\"urn:li:corpGroup:data-platform\",\"type\":\"TECHNICAL_OWNER\"}},"
                        // Free text in OpenLineage (its own examples say MAINTAINER), unknown to DataHub: the fallback, not a lost event.
                        + "{\"op\":\"add\",\"path\":\"/owners/urn:li:corpuser:bob/TECHNICAL_OWNER\","
                        + "\"value\":{\"owner\":\"urn:li:corpuser:bob\",\"type\":\"TECHNICAL_OWNER\"}}]");
        assertThat(mapped.templates()).extracting(MetadataChangeProposalWrapper::getAspectName).doesNotContain("ownership");
        assertValidForGms(mapped, event.getProducer());
    }

    @Test
    void tagsAreAddedToTheJobAndTheDatasetAndACompleteRecordsWhatItDidToEachOutput() throws IOException {
        OpenLineage ol = new OpenLineage(SampleEvents.SPARK);
        OpenLineage.RunEvent event = ol.newRunEventBuilder().eventType(EventType.COMPLETE)
                .eventTime(java.time.ZonedDateTime.parse("2026-11-20T06:10:00Z"))
                .run(ol.newRunBuilder().runId(RUN).facets(ol.newRunFacetsBuilder().tags(ol.newTagsRunFacetBuilder().tags(List.of(
                        ol.newTagsRunFacetFieldsBuilder().key("trigger").value("backfill").source("USER").build())).build()).build()).build())
                .job(ol.newJobBuilder().namespace("spark-cluster-a").name("clicks.rollup").facets(ol.newJobFacetsBuilder()
                        .tags(ol.newTagsJobFacetBuilder().tags(List.of(
                                ol.newTagsJobFacetFieldsBuilder().key("environment").value("production").source("CONFIG").build(),
                                ol.newTagsJobFacetFieldsBuilder().key("pii").value("").source("CONFIG").build(),
                                ol.newTagsJobFacetFieldsBuilder().key("x".repeat(600)).value("too long").source("CONFIG").build())).build())
                        .build()).build())
                .outputs(List.of(
                        ol.newOutputDatasetBuilder().namespace("hive").name("analytics.clicks_daily")
                                .facets(ol.newDatasetFacetsBuilder()
                                        .tags(ol.newTagsDatasetFacetBuilder().tags(List.of(
                                                ol.newTagsDatasetFacetFieldsBuilder().key("tier").value("gold").source("CONFIG").build(),
                                                ol.newTagsDatasetFacetFieldsBuilder().key("pii").value("email").field("user_email").build())).build())
                                        .lifecycleStateChange(ol.newLifecycleStateChangeDatasetFacetBuilder()
                                                .lifecycleStateChange(OpenLineage.LifecycleStateChangeDatasetFacet.LifecycleStateChange.OVERWRITE).build())
                                        .build())
                                .outputFacets(ol.newOutputDatasetOutputFacetsBuilder().outputStatistics(
                                        ol.newOutputStatisticsOutputDatasetFacetBuilder().rowCount(1250L).size(40960L).fileCount(3L).build()).build())
                                .build(),
                        ol.newOutputDatasetBuilder().namespace("hive").name("analytics.clicks_audit").build()))
                .build();
        MappedEvent mapped = mapper.map(event);
        assertValidForGms(mapped, event.getProducer());

        String job = "urn:li:dataJob:(urn:li:dataFlow:(spark,clicks,spark-cluster-a),clicks.rollup)";
        String daily = "urn:li:dataset:(urn:li:dataPlatform:hive,analytics.clicks_daily,PROD)";
        assertThat(mapped.patches()).filteredOn(p -> p.getAspectName().equals("globalTags"))
                .extracting(p -> p.getEntityUrn().toString() + " " + p.getAspect().getValue().asString(java.nio.charset.StandardCharsets.UTF_8))
                .containsExactly(
                        daily + " [{\"op\":\"add\",\"path\":\"/tags/urn:li:tag:tier:gold\",\"value\":{\"tag\":\"urn:li:tag:tier:gold\"}}]",
                        job + " [{\"op\":\"add\",\"path\":\"/tags/urn:li:tag:environment:production\","
                                + "\"value\":{\"tag\":\"urn:li:tag:environment:production\"}},"
                                + "{\"op\":\"add\",\"path\":\"/tags/urn:li:tag:pii\",\"value\":{\"tag\":\"urn:li:tag:pii\"}},"
                                + "{\"op\":\"add\",\"path\":\"/tags/urn:li:tag:trigger:backfill\",\"value\":{\"tag\":\"urn:li:tag:trigger:backfill\"}}]");

        // Only the output with statistics gets an operation, after the run's own aspects.
        assertThat(mapped.instance()).filteredOn(p -> p.getAspectName().equals("operation"))
                .extracting(MetadataChangeProposalWrapper::getEntityUrn).containsExactly(daily);
        com.linkedin.common.Operation operation = aspect(mapped.instance(), com.linkedin.common.Operation.class);
        assertThat(operation.getOperationType()).isEqualTo(com.linkedin.common.OperationType.CUSTOM);
        assertThat(operation.getCustomOperationType()).isEqualTo("OVERWRITE");
        assertThat(operation.getNumAffectedRows()).isEqualTo(1250L);
        assertThat(operation.getLastUpdatedTimestamp()).isEqualTo(java.time.Instant.parse("2026-11-20T06:10:00Z").toEpochMilli());
        assertThat(operation.getCustomProperties()).containsEntry("runId", RUN.toString()).containsEntry("size", "40960")
                .containsEntry("fileCount", "3");

        // Statistics are final only on COMPLETE: a RUNNING with the same facets records no operation.
        OpenLineage.RunEvent running = ol.newRunEventBuilder().eventType(EventType.RUNNING).eventTime(event.getEventTime())
                .run(event.getRun()).job(event.getJob()).outputs(event.getOutputs()).build();
        assertThat(mapper.map(running).instance()).extracting(MetadataChangeProposalWrapper::getAspectName).doesNotContain("operation");
    }

    @Test
    void aWriteWithoutALifecycleFacetIsAnInsert() {
        OpenLineage ol = new OpenLineage(SampleEvents.SPARK);
        OpenLineage.RunEvent event = ol.newRunEventBuilder().eventType(EventType.COMPLETE).eventTime(java.time.ZonedDateTime.now())
                .run(ol.newRunBuilder().runId(RUN).build())
                .job(ol.newJobBuilder().namespace("spark-cluster-a").name("clicks.load").build())
                .outputs(List.of(ol.newOutputDatasetBuilder().namespace("s3://lake").name("clicks")
                        .outputFacets(ol.newOutputDatasetOutputFacetsBuilder().outputStatistics(
                                ol.newOutputStatisticsOutputDatasetFacetBuilder().rowCount(7L).build()).build()).build()))
                .build();
        com.linkedin.common.Operation operation = aspect(mapper.map(event).instance(), com.linkedin.common.Operation.class);
        assertThat(operation.getOperationType()).isEqualTo(com.linkedin.common.OperationType.INSERT);
        assertThat(operation.getNumAffectedRows()).isEqualTo(7L);
    }

    private static String esc(String segment) {
        return segment.replace("~", "~0").replace("/", "~1");
    }

    private static String flowOf(MappedEvent mapped) {
        return mapped.templates().get(0).getEntityUrn();
    }

    private static <T> T aspect(List<MetadataChangeProposalWrapper<?>> proposals, Class<T> type) {
        return proposals.stream().map(MetadataChangeProposalWrapper::getAspect).filter(type::isInstance).map(type::cast)
                .findFirst().orElseThrow(() -> new AssertionError("no " + type.getSimpleName()));
    }

    private static List<MetadataChangeProposalWrapper<?>> all(MappedEvent mapped) {
        List<MetadataChangeProposalWrapper<?>> all = new ArrayList<>(mapped.datasets());
        all.addAll(mapped.templates());
        all.addAll(mapped.instance());
        return all;
    }

    private static org.assertj.core.groups.Tuple tuple(Object... values) {
        return org.assertj.core.groups.Tuple.tuple(values);
    }
}
