package dev.lineagehub.datahub;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The double must refuse what GMS refuses, or the sink tests prove nothing. */
class GmsDoubleTest {

    private static final String DPI = "urn:li:dataProcessInstance:5f2b0c3e-1c3a-4bb8-9a55-0d1d3c1c9b11";
    private static final String CREATED = "\"created\":{\"time\":1763618400000,\"actor\":\"urn:li:corpuser:datahub\"}";

    @Test
    void refusesTheUrnsGmsRefuses() {
        assertThat(GmsDouble.urnViolation("urn:li:tag:env:prod")).isNull();
        assertThat(GmsDouble.urnViolation("urn:li:tag:a,b:c(d)")).contains("comma");
        assertThat(GmsDouble.urnViolation("urn:li:tag:c(d)")).contains("Illegal characters");
        assertThat(GmsDouble.urnViolation("urn:li:tag:x ")).contains("whitespace");
        assertThat(GmsDouble.urnViolation("urn:li:tag:x\u241Fy")).contains("\u241F");
        // 459 bytes, 879 URL-encoded: GMS counts the latter.
        String slashes = "urn:li:dataset:(urn:li:dataPlatform:hdfs," + "a/".repeat(200) + ",PROD)";
        assertThat(GmsDouble.urnViolation(slashes)).contains("longer than 512");
        assertThat(GmsDouble.urnViolation("urn:li:schemaField:(urn:li:dataset:(urn:li:dataPlatform:hdfs," + "a/".repeat(200) + ",PROD),f)"))
                .as("schemaField URNs have no length limit").isNull();
        assertThat(GmsDouble.urnViolation("urn:li:schemaField:(urn:li:dataset:(urn:li:dataPlatform:kafka,t,PROD),g)(,)")).contains("Invalid urn");
        assertThat(GmsDouble.urnViolation("urn:li:dataset:(urn:li:dataPlatform:kafka,sum%28x%29,PROD)")).isNull();
    }

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
