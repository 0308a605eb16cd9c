package dev.lineagehub.datahub;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The double must refuse what GMS refuses, or the sink tests prove nothing. */
class GmsDoubleTest {

    private static final String DPI = "urn:li:dataProcessInstance:5f2b0c3e-1c3a-4bb8-9a55-0d1d3c1c9b11";
    private static final String CREATED = "\"created\":{\"time\":1763618400000,\"actor\":\"urn:li:corpuser:datahub\"}";

    @Test
    void acceptsAValidInstancePropertiesAspect() {
        assertThat(GmsDouble.violation("dataProcessInstance", DPI, "dataProcessInstanceProperties",
                "{\"name\":\"run\"," + CREATED + "}")).isNull();
    }

    @Test
    void refusesInstancePropertiesWithoutCreated() {
        assertThat(GmsDouble.violation("dataProcessInstance", DPI, "dataProcessInstanceProperties", "{\"name\":\"run\"}"))
                .contains("created").contains("required");
    }

    @Test
    void refusesARunEventThatSaysFailed() {
        assertThat(GmsDouble.violation("dataProcessInstance", DPI, "dataProcessInstanceRunEvent",
                "{\"timestampMillis\":1763618400000,\"status\":\"FAILED\"}")).contains("FAILED");
        assertThat(GmsDouble.violation("dataProcessInstance", DPI, "dataProcessInstanceRunEvent",
                "{\"timestampMillis\":1763618400000,\"status\":\"COMPLETE\",\"result\":{\"type\":\"FAILURE\",\"nativeResultType\":\"FAIL\"}}"))
                .isNull();
    }

    @Test
    void refusesRelationshipsWithoutUpstreamInstances() {
        String parent = "\"parentTemplate\":\"urn:li:dataJob:(urn:li:dataFlow:(airflow,dag,prod),dag.task)\"";
        assertThat(GmsDouble.violation("dataProcessInstance", DPI, "dataProcessInstanceRelationships", "{" + parent + "}"))
                .contains("upstreamInstances");
        assertThat(GmsDouble.violation("dataProcessInstance", DPI, "dataProcessInstanceRelationships",
                "{" + parent + ",\"upstreamInstances\":[]}")).isNull();
    }

    @Test
    void refusesUnknownAspectsEntitiesAndMismatchedUrns() {
        assertThat(GmsDouble.violation("dataset", "urn:li:dataset:(urn:li:dataPlatform:s3,b/k,PROD)", "dataProcessInstanceInput", "{}"))
                .contains("Unknown aspect");
        assertThat(GmsDouble.violation("pipeline", "urn:li:pipeline:x", "status", "{}")).contains("Unknown entity");
        assertThat(GmsDouble.violation("dataset", DPI, "status", "{\"removed\":false}")).contains("not of entity type");
    }

    @Test
    void refusesABadUrnInsideAnAspect() {
        assertThat(GmsDouble.violation("dataProcessInstance", DPI, "dataProcessInstanceInput", "{\"inputs\":[\"not-a-urn\"]}"))
                .isNotNull();
    }

    @Test
    void patchesAreCheckedLikeGmsPatchTemplatesApplyThem() {
        String job = "urn:li:dataJob:(urn:li:dataFlow:(airflow,dag,prod),dag.task)";
        String edge = "[{\"op\":\"add\",\"path\":\"/inputDatasetEdges/urn:li:dataset:(urn:li:dataPlatform:s3,a~1b,PROD)\","
                + "\"value\":{\"destinationUrn\":\"urn:li:dataset:(urn:li:dataPlatform:s3,a/b,PROD)\"}}]";
        assertThat(GmsDouble.patchViolation("dataJob", job, "dataJobInputOutput", edge)).isNull();
        assertThat(GmsDouble.patchViolation("dataJob", job, "dataJobInputOutput", edge.replace("inputDatasetEdges", "noSuchField")))
                .contains("names no array or map");
        String dataset = "urn:li:dataset:(urn:li:dataPlatform:s3,a,PROD)";
        assertThat(GmsDouble.patchViolation("dataset", dataset, "datasetProperties",
                "[{\"op\":\"add\",\"path\":\"/customProperties/namespace\",\"value\":\"s3://a\"}]")).isNull();
        assertThat(GmsDouble.patchViolation("dataset", dataset, "datasetProperties",
                "[{\"op\":\"add\",\"path\":\"/customProperties/namespace\",\"value\":{\"not\":\"a string\"}}]")).isNotNull();
        assertThat(GmsDouble.patchViolation("dataJob", job, "dataJobInputOutput", edge.replace("destinationUrn", "target")))
                .as("an edge without its required destination").isNotNull();
        assertThat(GmsDouble.patchViolation("dataJob", job, "dataJobInputOutput", edge.replace("\"add\"", "\"move\"")))
                .contains("Unsupported");
        String fine = "[{\"op\":\"add\",\"path\":\"/fineGrainedLineages/TRANSFORM/urn:li:schemaField:(x,y)/NONE\",\"value\":{\"confidenceScore\":1.0}}]";
        assertThat(GmsDouble.patchViolation("dataset", "urn:li:dataset:(urn:li:dataPlatform:s3,a,PROD)", "upstreamLineage", fine))
                .as("a fine-grained path without its upstream").contains("Fine-grained");
    }
}
