package dev.lineagehub.datahub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lineagehub.datahub.mapping.MappedEvent;
import dev.lineagehub.datahub.mapping.MappingOptions;
import dev.lineagehub.datahub.mapping.RunEventMapper;

import com.linkedin.dataprocess.DataProcessInstanceRelationships;
import com.linkedin.dataprocess.DataProcessInstanceRunEvent;

import datahub.event.MetadataChangeProposalWrapper;

import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineage.RunEvent.EventType;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Parity with DataHub's own OpenLineage converter (metadata-integration/java/openlineage-converter):
 * for events shaped as Airflow, Spark, dbt and a plain client send them, the URNs of the flow, the
 * job, the run's DataProcessInstance and every dataset, the run's status and result, and the aspects
 * on each entity are what the converter writes for the same event (its committed goldens and its
 * mapping code, read; the converter is not on this Maven mirror, so it cannot run here). Where the
 * project differs on purpose, the case says so and the README lists why.
 */
class ConverterParityTest {

    private static final RunEventMapper MAPPER = new RunEventMapper(MappingOptions.defaults());

    /** What the converter writes for one event, as far as this test compares it. */
    record Expected(String flow, String job, String instance, List<String> inputs, List<String> outputs,
                    String status, String result, Set<String> jobAspects, Set<String> jobPatches) {
    }

    record Case(String name, OpenLineage.RunEvent event, Expected expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(airflowDagStart(), sparkHiveSymlinkComplete(), dbtModelFail(), plainClientAbortOnFiles());
    }

    @ParameterizedTest
    @MethodSource("cases")
    void urnsRunStatesAndAspectsMatchTheConverter(Case c) {
        MappedEvent mapped = MAPPER.map(c.event());
        Expected expected = c.expected();

        assertThat(mapped.flows()).extracting(MetadataChangeProposalWrapper::getEntityUrn).containsOnly(expected.flow());
        assertThat(aspectNames(mapped.flows())).containsExactlyInAnyOrder("dataFlowInfo", "status");
        assertThat(mapped.jobs()).extracting(MetadataChangeProposalWrapper::getEntityUrn).containsOnly(expected.job());
        assertThat(aspectNames(mapped.jobs())).isEqualTo(expected.jobAspects());
        // The converter patches ownership too; job lineage it upserts, the project patches (README: where the project differs).
        assertThat(mapped.patches()).filteredOn(p -> p.getEntityUrn().toString().equals(expected.job()))
                .extracting(com.linkedin.mxe.MetadataChangeProposal::getAspectName).containsAll(expected.jobPatches());

        List<String> datasets = new ArrayList<>(expected.inputs());
        datasets.addAll(expected.outputs());
        assertThat(mapped.datasets()).extracting(MetadataChangeProposalWrapper::getEntityUrn)
                .containsOnlyElementsOf(datasets).containsAll(datasets);

        List<MetadataChangeProposalWrapper<?>> instance = mapped.instance().stream()
                .filter(p -> p.getEntityType().equals("dataProcessInstance")).toList();
        assertThat(instance).extracting(MetadataChangeProposalWrapper::getEntityUrn).containsOnly(expected.instance());
        DataProcessInstanceRelationships relationships = aspect(instance, DataProcessInstanceRelationships.class);
        assertThat(relationships.getParentTemplate().toString()).isEqualTo(expected.job());
        DataProcessInstanceRunEvent run = aspect(instance, DataProcessInstanceRunEvent.class);
        assertThat(run.getStatus().name()).isEqualTo(expected.status());
        assertThat(run.hasResult() ? run.getResult().getType().name() : null).isEqualTo(expected.result());
        if (!expected.inputs().isEmpty()) {
            assertThat(aspect(instance, com.linkedin.dataprocess.DataProcessInstanceInput.class).getInputs())
                    .extracting(Object::toString).containsExactlyElementsOf(expected.inputs());
        }
        if (!expected.outputs().isEmpty()) {
            assertThat(aspect(instance, com.linkedin.dataprocess.DataProcessInstanceOutput.class).getOutputs())
                    .extracting(Object::toString).containsExactlyElementsOf(expected.outputs());
        }
    }

    /** The converter's airflow golden: a DAG-level START with the jobType and processing_engine facets. */
    private static Case airflowDagStart() {
        OpenLineage ol = new OpenLineage(URI.create("https://github.com/apache/airflow/tree/providers-openlineage/1.14.0"));
        UUID run = UUID.fromString("01936893-9751-7a91-a2a0-a51101a3970c");
        OpenLineage.RunEvent event = ol.newRunEventBuilder().eventType(EventType.START)
                .eventTime(ZonedDateTime.parse("2024-11-26T13:05:23.809Z"))
                .run(ol.newRunBuilder().runId(run).facets(ol.newRunFacetsBuilder()
                        .processing_engine(ol.newProcessingEngineRunFacetBuilder().name("Airflow").version("3.0.0.dev0")
                                .openlineageAdapterVersion("1.14.0").build()).build()).build())
                .job(ol.newJobBuilder().namespace("airflow").name("BQ").facets(ol.newJobFacetsBuilder()
                        .jobType(ol.newJobTypeJobFacetBuilder().processingType("BATCH").integration("AIRFLOW").jobType("DAG").build())
                        .ownership(ol.newOwnershipJobFacetBuilder().owners(List.of(
                                ol.newOwnershipJobFacetOwnersBuilder().name("airflow").build())).build())
                        .build()).build())
                .build();
        return new Case("airflow DAG START", event, new Expected("urn:li:dataFlow:(airflow,BQ,airflow)",
                "urn:li:dataJob:(urn:li:dataFlow:(airflow,BQ,airflow),BQ)", "urn:li:dataProcessInstance:" + run,
                List.of(), List.of(), "STARTED", null, Set.of("dataJobInfo", "status"), Set.of("ownership")));
    }

    /** Spark writing a Hive table through its warehouse path: the converter names it by the metastore table. */
    private static Case sparkHiveSymlinkComplete() {
        OpenLineage ol = new OpenLineage(URI.create("https://github.com/OpenLineage/OpenLineage/tree/1.25.0/integration/spark"));
        UUID run = UUID.fromString("0193a2b1-55c1-7d3e-8f10-3f7c0e4b9a21");
        OpenLineage.RunEvent event = ol.newRunEventBuilder().eventType(EventType.COMPLETE)
                .eventTime(ZonedDateTime.parse("2024-12-03T09:14:02.117Z"))
                .run(ol.newRunBuilder().runId(run).facets(ol.newRunFacetsBuilder()
                        .processing_engine(ol.newProcessingEngineRunFacetBuilder().name("spark").version("3.5.1").build()).build()).build())
                .job(ol.newJobBuilder().namespace("default").name("spark_app.execute_insert_into_hive_table").facets(ol.newJobFacetsBuilder()
                        .jobType(ol.newJobTypeJobFacetBuilder().processingType("BATCH").integration("SPARK").jobType("SQL_JOB").build())
                        .build()).build())
                .inputs(List.of(ol.newInputDatasetBuilder().namespace("s3a://raw").name("events/2024-12-03").build()))
                .outputs(List.of(ol.newOutputDatasetBuilder().namespace("hdfs://namenode:8020").name("/user/hive/warehouse/sales.db/daily")
                        .facets(ol.newDatasetFacetsBuilder().symlinks(ol.newSymlinksDatasetFacetBuilder().identifiers(List.of(
                                ol.newSymlinksDatasetFacetIdentifiersBuilder().namespace("hive://metastore:9083").name("sales.daily")
                                        .type("TABLE").build())).build()).build())
                        .build()))
                .build();
        return new Case("spark COMPLETE into a hive table", event, new Expected("urn:li:dataFlow:(spark,spark_app,default)",
                "urn:li:dataJob:(urn:li:dataFlow:(spark,spark_app,default),spark_app.execute_insert_into_hive_table)",
                "urn:li:dataProcessInstance:" + run, List.of("urn:li:dataset:(urn:li:dataPlatform:s3,raw/events/2024-12-03,PROD)"),
                List.of("urn:li:dataset:(urn:li:dataPlatform:hive,sales.daily,PROD)"), "COMPLETE", "SUCCESS",
                Set.of("dataJobInfo", "status"), Set.of("dataJobInputOutput")));
    }

    /** A dbt model that failed on Snowflake: FAIL is COMPLETE with a FAILURE result. */
    private static Case dbtModelFail() {
        OpenLineage ol = new OpenLineage(URI.create("https://github.com/OpenLineage/OpenLineage/tree/1.25.0/integration/dbt"));
        UUID run = UUID.fromString("7c1e54a2-0d7b-4f4e-9b1a-2f51b0d8c3e4");
        OpenLineage.RunEvent event = ol.newRunEventBuilder().eventType(EventType.FAIL)
                .eventTime(ZonedDateTime.parse("2024-12-03T10:00:41Z"))
                .run(ol.newRunBuilder().runId(run).facets(ol.newRunFacetsBuilder()
                        .errorMessage(ol.newErrorMessageRunFacetBuilder().message("Database Error in model orders").programmingLanguage("sql").build())
                        .build()).build())
                .job(ol.newJobBuilder().namespace("dbt-prod").name("analytics.jaffle_shop.orders").facets(ol.newJobFacetsBuilder()
                        .jobType(ol.newJobTypeJobFacetBuilder().processingType("BATCH").integration("DBT").jobType("MODEL").build())
                        .build()).build())
                .inputs(List.of(ol.newInputDatasetBuilder().namespace("snowflake://acme-eu1").name("ANALYTICS.RAW.ORDERS").build()))
                .outputs(List.of(ol.newOutputDatasetBuilder().namespace("snowflake://acme-eu1").name("ANALYTICS.MARTS.ORDERS").build()))
                .build();
        return new Case("dbt model FAIL", event, new Expected("urn:li:dataFlow:(dbt,analytics,dbt-prod)",
                "urn:li:dataJob:(urn:li:dataFlow:(dbt,analytics,dbt-prod),analytics.jaffle_shop.orders)", "urn:li:dataProcessInstance:" + run,
                List.of("urn:li:dataset:(urn:li:dataPlatform:snowflake,ANALYTICS.RAW.ORDERS,PROD)"),
                List.of("urn:li:dataset:(urn:li:dataPlatform:snowflake,ANALYTICS.MARTS.ORDERS,PROD)"), "COMPLETE", "FAILURE",
                Set.of("dataJobInfo", "status"), Set.of("dataJobInputOutput")));
    }

    /**
     * A worker using the plain client, no jobType facet, reading and writing local files: the producer
     * names no orchestrator (the configured default), file paths keep their leading slash, ABORT fails.
     */
    private static Case plainClientAbortOnFiles() {
        OpenLineage ol = new OpenLineage(URI.create("https://github.com/OpenLineage/OpenLineage/tree/1.25.0/client/java"));
        UUID run = UUID.fromString("3d0c9f7e-8b2a-4c61-a5e4-9f0b7d2c1e58");
        OpenLineage.RunEvent event = ol.newRunEventBuilder().eventType(EventType.ABORT)
                .eventTime(ZonedDateTime.parse("2024-12-03T11:30:00Z"))
                .run(ol.newRunBuilder().runId(run).build())
                .job(ol.newJobBuilder().namespace("workers").name("export_csv").build())
                .inputs(List.of(ol.newInputDatasetBuilder().namespace("file").name("/data/in/orders.csv").build()))
                .outputs(List.of(ol.newOutputDatasetBuilder().namespace("file://").name("/data/out/orders.parquet").build()))
                .build();
        return new Case("plain client ABORT on files", event, new Expected("urn:li:dataFlow:(openlineage,export_csv,workers)",
                "urn:li:dataJob:(urn:li:dataFlow:(openlineage,export_csv,workers),export_csv)", "urn:li:dataProcessInstance:" + run,
                List.of("urn:li:dataset:(urn:li:dataPlatform:file,/data/in/orders.csv,PROD)"),
                List.of("urn:li:dataset:(urn:li:dataPlatform:file,/data/out/orders.parquet,PROD)"), "COMPLETE", "FAILURE",
                Set.of("dataJobInfo", "status"), Set.of("dataJobInputOutput")));
    }

    private static Set<String> aspectNames(List<MetadataChangeProposalWrapper<?>> proposals) {
        Set<String> names = new TreeSet<>();
        proposals.forEach(p -> names.add(p.getAspectName()));
        return names;
    }

    private static <T> T aspect(List<MetadataChangeProposalWrapper<?>> proposals, Class<T> type) {
        return proposals.stream().map(MetadataChangeProposalWrapper::getAspect).filter(type::isInstance).map(type::cast)
                .findFirst().orElseThrow(() -> new AssertionError("no " + type.getSimpleName()));
    }
}
