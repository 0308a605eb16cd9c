package dev.lineagehub.sdk;


import io.openlineage.client.OpenLineage;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Builds the OpenLineage events of the SDK's runs: one place for the producer, the job facets and the dataset shapes. */
final class RunEvents {

    /** The integration name in the job type facet, which DataHub shows as the flow's orchestrator. */
    public static final String INTEGRATION = "LINEAGE_HUB_SDK";

    private final OpenLineage ol;
    private final URI producer;
    private final String namespace;
    private final Clock clock;

    RunEvents(URI producer, String namespace, Clock clock) {
        if (namespace == null || namespace.isBlank()) {
            throw new IllegalArgumentException("the hub needs a job namespace (e.g. the team's or the service's name)");
        }
        this.ol = new OpenLineage(producer);
        this.producer = producer;
        this.namespace = namespace;
        this.clock = clock;
    }

    public URI producer() {
        return producer;
    }

    public String namespace() {
        return namespace;
    }

    public Clock clock() {
        return clock;
    }

    /** A run of the job in this hub's namespace, as a parent facet names it. */
    public record Parent(UUID runId, String jobName, Parent root) {

        Parent rootOrSelf() {
            return root == null ? this : root;
        }
    }

    public OpenLineage.RunEvent event(OpenLineage.RunEvent.EventType type, UUID runId, String jobName, Parent parent,
                                      Map<String, OpenLineage.RunFacet> runFacets, List<Dataset> inputs, List<Dataset> outputs) {
        OpenLineage.RunFacetsBuilder facets = ol.newRunFacetsBuilder();
        runFacets.forEach((name, facet) -> putRunFacet(facets, name, facet));
        if (parent != null) {
            Parent root = parent.rootOrSelf();
            facets.parent(ol.newParentRunFacetBuilder()
                    .run(ol.newParentRunFacetRunBuilder().runId(parent.runId()).build())
                    .job(ol.newParentRunFacetJobBuilder().namespace(namespace).name(parent.jobName()).build())
                    .root(ol.newParentRunFacetRootBuilder()
                            .run(ol.newRootRunBuilder().runId(root.runId()).build())
                            .job(ol.newRootJobBuilder().namespace(namespace).name(root.jobName()).build())
                            .build())
                    .build());
        }
        return ol.newRunEventBuilder()
                .eventType(type)
                .eventTime(ZonedDateTime.now(clock))
                .run(ol.newRunBuilder().runId(runId).facets(facets.build()).build())
                .job(ol.newJobBuilder().namespace(namespace).name(jobName)
                        .facets(ol.newJobFacetsBuilder().jobType(ol.newJobTypeJobFacetBuilder().processingType("BATCH")
                                .integration(INTEGRATION).jobType(parent == null ? "JOB" : "TASK").build()).build())
                        .build())
                .inputs(inputs.stream().map(d -> ol.newInputDatasetBuilder().namespace(d.namespace()).name(d.name())
                        .facets(datasetFacets(d)).build()).toList())
                .outputs(outputs.stream().map(d -> ol.newOutputDatasetBuilder().namespace(d.namespace()).name(d.name())
                        .facets(datasetFacets(d)).build()).toList())
                .build();
    }

    /** Standard facets go in their typed fields (readers such as the DataHub mapping look there), others by name. */
    private static void putRunFacet(OpenLineage.RunFacetsBuilder facets, String name, OpenLineage.RunFacet facet) {
        if (facet instanceof OpenLineage.ErrorMessageRunFacet error) {
            facets.errorMessage(error);
        } else if (facet instanceof OpenLineage.ParentRunFacet parent) {
            facets.parent(parent);
        } else if (facet instanceof OpenLineage.ProcessingEngineRunFacet engine) {
            facets.processing_engine(engine);
        } else if (facet instanceof OpenLineage.NominalTimeRunFacet nominal) {
            facets.nominalTime(nominal);
        } else {
            facets.put(name, facet);
        }
    }

    private OpenLineage.DatasetFacets datasetFacets(Dataset dataset) {
        OpenLineage.DatasetFacetsBuilder facets = ol.newDatasetFacetsBuilder();
        dataset.facets().forEach((name, facet) -> {
            if (facet instanceof OpenLineage.SchemaDatasetFacet schema) {
                facets.schema(schema);
            } else if (facet instanceof OpenLineage.StorageDatasetFacet storage) {
                facets.storage(storage);
            } else if (facet instanceof OpenLineage.DatasetVersionDatasetFacet version) {
                facets.version(version);
            } else if (facet instanceof OpenLineage.SymlinksDatasetFacet symlinks) {
                facets.symlinks(symlinks);
            } else if (facet instanceof OpenLineage.DocumentationDatasetFacet documentation) {
                facets.documentation(documentation);
            } else if (facet instanceof OpenLineage.DatasourceDatasetFacet source) {
                facets.dataSource(source);
            } else {
                facets.put(name, facet);
            }
        });
        return facets.build();
    }

    /** A facet of the SDK's own kind ({@code lineagehub_*}), holding plain values. */
    public OpenLineage.RunFacet customFacet(Map<String, ?> fields) {
        OpenLineage.RunFacet facet = ol.newRunFacet();
        facet.getAdditionalProperties().putAll(fields);
        return facet;
    }

    public OpenLineage.ErrorMessageRunFacet error(String message, Throwable cause) {
        String stackTrace = null;
        if (cause != null) {
            StringWriter trace = new StringWriter();
            cause.printStackTrace(new PrintWriter(trace));
            stackTrace = trace.toString();
        }
        return ol.newErrorMessageRunFacetBuilder().message(message).programmingLanguage("JAVA").stackTrace(stackTrace).build();
    }

    /** The facets a dataset written as a snapshot carries: its schema, how it is stored, and which version this is. */
    public Dataset snapshot(String table, URI uri, String format, Map<String, String> schema) {
        Dataset dataset = Dataset.of(namespace, table)
                .with("storage", ol.newStorageDatasetFacetBuilder().storageLayer(uri.getScheme() == null ? "file" : uri.getScheme())
                        .fileFormat(format).build())
                .with("version", ol.newDatasetVersionDatasetFacetBuilder().datasetVersion(uri.toString()).build());
        if (schema != null && !schema.isEmpty()) {
            dataset = dataset.with("schema", ol.newSchemaDatasetFacetBuilder().fields(schema.entrySet().stream()
                    .map(field -> ol.newSchemaDatasetFacetFieldsBuilder().name(field.getKey()).type(field.getValue()).build())
                    .toList()).build());
        }
        return dataset;
    }
}
