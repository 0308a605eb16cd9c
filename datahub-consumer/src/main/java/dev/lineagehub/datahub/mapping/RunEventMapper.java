package dev.lineagehub.datahub.mapping;

import com.linkedin.common.AuditStamp;
import com.linkedin.common.DatasetUrnArray;
import com.linkedin.common.Status;
import com.linkedin.common.UrnArray;
import com.linkedin.common.urn.DataFlowUrn;
import com.linkedin.common.urn.DataJobUrn;
import com.linkedin.common.urn.DatasetUrn;
import com.linkedin.common.urn.Urn;
import com.linkedin.data.template.StringMap;
import com.linkedin.datajob.DataFlowInfo;
import com.linkedin.datajob.DataJobInfo;
import com.linkedin.datajob.DataJobInputOutput;
import com.linkedin.dataprocess.DataProcessInstanceInput;
import com.linkedin.dataprocess.DataProcessInstanceOutput;
import com.linkedin.dataprocess.DataProcessInstanceProperties;
import com.linkedin.dataprocess.DataProcessInstanceRelationships;
import com.linkedin.dataprocess.DataProcessInstanceRunEvent;
import com.linkedin.dataprocess.DataProcessInstanceRunResult;
import com.linkedin.dataprocess.DataProcessRunStatus;
import com.linkedin.dataprocess.DataProcessType;
import com.linkedin.dataprocess.RunResultType;
import com.linkedin.dataset.DatasetProperties;
import com.linkedin.dataset.FineGrainedLineage;
import com.linkedin.dataset.FineGrainedLineageArray;
import com.linkedin.dataset.FineGrainedLineageDownstreamType;
import com.linkedin.dataset.FineGrainedLineageUpstreamType;

import datahub.event.MetadataChangeProposalWrapper;

import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineage.RunEvent.EventType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One OpenLineage run event to the DataHub proposals that describe it, in three stages that must be
 * written in order: the datasets it reads and writes, the DataFlow/DataJob templates, then the
 * DataProcessInstance of the run. Pure: no I/O, no clock.
 */
public final class RunEventMapper {

    private static final Urn ACTOR = Urn.createFromTuple("corpuser", "datahub");
    private static final List<String> KNOWN_ORCHESTRATORS = List.of("airflow", "dagster", "spark", "flink", "trino", "dbt");

    private final MappingOptions options;
    private final DatasetUrns datasetUrns;
    private final SchemaMapper schemas = new SchemaMapper();

    public RunEventMapper(MappingOptions options) {
        this.options = options;
        this.datasetUrns = new DatasetUrns(options);
    }

    public MappedEvent map(OpenLineage.RunEvent event) {
        List<MetadataChangeProposalWrapper<?>> datasets = new ArrayList<>();
        List<DatasetUrn> inputs = new ArrayList<>();
        List<DatasetUrn> outputs = new ArrayList<>();
        for (OpenLineage.InputDataset input : nullSafe(event.getInputs())) {
            inputs.add(dataset(input, datasets));
        }
        for (OpenLineage.OutputDataset output : nullSafe(event.getOutputs())) {
            outputs.add(dataset(output, datasets));
        }

        OpenLineage.Job job = event.getJob();
        DataFlowUrn flow = flowUrn(event);
        DataJobUrn jobUrn = new DataJobUrn(flow, job.getName());
        List<MetadataChangeProposalWrapper<?>> templates = new ArrayList<>();
        templates.add(proposal("dataFlow", flow, new DataFlowInfo().setName(flow.getFlowIdEntity())
                .setCustomProperties(new StringMap(Map.of("namespace", job.getNamespace())))));
        templates.add(proposal("dataJob", jobUrn, jobInfo(job, flow)));
        if (!inputs.isEmpty() || !outputs.isEmpty()) {
            // An event without datasets (e.g. a START before planning) must not wipe the job's lineage.
            templates.add(proposal("dataJob", jobUrn, new DataJobInputOutput()
                    .setInputDatasets(new DatasetUrnArray(inputs))
                    .setOutputDatasets(new DatasetUrnArray(outputs))
                    .setFineGrainedLineages(columnLineage(event))));
        }

        Urn instance = instanceUrn(event.getRun().getRunId().toString());
        List<MetadataChangeProposalWrapper<?>> run = new ArrayList<>();
        run.add(proposal("dataProcessInstance", instance, instanceProperties(event)));
        run.add(proposal("dataProcessInstance", instance, relationships(event, jobUrn)));
        if (!inputs.isEmpty()) {
            run.add(proposal("dataProcessInstance", instance, new DataProcessInstanceInput().setInputs(urns(inputs))));
        }
        if (!outputs.isEmpty()) {
            run.add(proposal("dataProcessInstance", instance, new DataProcessInstanceOutput().setOutputs(urns(outputs))));
        }
        runEvent(event).ifPresent(runEvent -> run.add(proposal("dataProcessInstance", instance, runEvent)));
        return new MappedEvent(datasets, templates, run);
    }

    /** Stable across START, RUNNING and COMPLETE of one run, as DataHub's own converter names it. */
    public static Urn instanceUrn(String runId) {
        return Urn.createFromTuple("dataProcessInstance", runId);
    }

    private DatasetUrn dataset(OpenLineage.Dataset dataset, List<MetadataChangeProposalWrapper<?>> proposals) {
        DatasetUrn urn = datasetUrns.urn(dataset.getNamespace(), dataset.getName());
        // Entities without aspects are hidden from the lineage graph: always send at least the status.
        proposals.add(proposal("dataset", urn, new Status().setRemoved(false)));
        proposals.add(proposal("dataset", urn, new DatasetProperties()
                .setName(lastSegment(dataset.getName()))
                .setQualifiedName(dataset.getName())
                .setCustomProperties(new StringMap(Map.of("namespace", dataset.getNamespace())))));
        OpenLineage.DatasetFacets facets = dataset.getFacets();
        if (facets != null && facets.getSchema() != null && facets.getSchema().getFields() != null) {
            proposals.add(proposal("dataset", urn, schemas.schemaMetadata(urn, facets.getSchema())));
        }
        return urn;
    }

    private DataFlowUrn flowUrn(OpenLineage.RunEvent event) {
        String name = event.getJob().getName();
        int dot = name.indexOf('.');
        String flowId = dot > 0 ? name.substring(0, dot) : name;
        String cluster = options.hasPlatformInstance() ? options.platformInstance() : event.getJob().getNamespace();
        return new DataFlowUrn(orchestrator(event), flowId, cluster);
    }

    /** Configured, else jobType facet integration, else processing_engine facet, else the producer URL, else the default. */
    String orchestrator(OpenLineage.RunEvent event) {
        if (!options.orchestrator().isEmpty()) {
            return options.orchestrator();
        }
        OpenLineage.JobFacets jobFacets = event.getJob().getFacets();
        if (jobFacets != null && jobFacets.getJobType() != null && notBlank(jobFacets.getJobType().getIntegration())) {
            return jobFacets.getJobType().getIntegration().toLowerCase(Locale.ROOT);
        }
        OpenLineage.RunFacets runFacets = event.getRun().getFacets();
        if (runFacets != null && runFacets.getProcessing_engine() != null && notBlank(runFacets.getProcessing_engine().getName())) {
            return runFacets.getProcessing_engine().getName().toLowerCase(Locale.ROOT);
        }
        String producer = event.getProducer() == null ? "" : event.getProducer().toString().toLowerCase(Locale.ROOT);
        return KNOWN_ORCHESTRATORS.stream().filter(producer::contains).findFirst().orElse(options.defaultOrchestrator());
    }

    private static DataJobInfo jobInfo(OpenLineage.Job job, DataFlowUrn flow) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("namespace", job.getNamespace());
        String type = "BATCH";
        OpenLineage.JobFacets facets = job.getFacets();
        if (facets != null) {
            if (facets.getSql() != null && facets.getSql().getQuery() != null) {
                properties.put("sql", facets.getSql().getQuery());
            }
            if (facets.getJobType() != null) {
                putIfPresent(properties, "jobType", facets.getJobType().getJobType());
                putIfPresent(properties, "integration", facets.getJobType().getIntegration());
                if (notBlank(facets.getJobType().getProcessingType())) {
                    type = facets.getJobType().getProcessingType();
                }
            }
        }
        DataJobInfo info = new DataJobInfo().setName(job.getName()).setType(DataJobInfo.Type.create(type))
                .setFlowUrn(flow).setCustomProperties(new StringMap(properties));
        if (facets != null && facets.getDocumentation() != null && facets.getDocumentation().getDescription() != null) {
            info.setDescription(facets.getDocumentation().getDescription());
        }
        return info;
    }

    private FineGrainedLineageArray columnLineage(OpenLineage.RunEvent event) {
        FineGrainedLineageArray lineages = new FineGrainedLineageArray();
        for (OpenLineage.OutputDataset output : nullSafe(event.getOutputs())) {
            OpenLineage.DatasetFacets facets = output.getFacets();
            if (facets == null || facets.getColumnLineage() == null || facets.getColumnLineage().getFields() == null) {
                continue;
            }
            DatasetUrn downstream = datasetUrns.urn(output.getNamespace(), output.getName());
            facets.getColumnLineage().getFields().getAdditionalProperties().forEach((field, lineage) -> {
                UrnArray upstreams = new UrnArray();
                for (OpenLineage.InputField input : nullSafe(lineage.getInputFields())) {
                    upstreams.add(schemaField(datasetUrns.urn(input.getNamespace(), input.getName()), input.getField()));
                }
                FineGrainedLineage fine = new FineGrainedLineage()
                        .setUpstreamType(FineGrainedLineageUpstreamType.FIELD_SET).setUpstreams(upstreams)
                        .setDownstreamType(FineGrainedLineageDownstreamType.FIELD)
                        .setDownstreams(new UrnArray(List.of(schemaField(downstream, field))));
                if (notBlank(lineage.getTransformationDescription())) {
                    fine.setTransformOperation(lineage.getTransformationDescription());
                }
                lineages.add(fine);
            });
        }
        return lineages;
    }

    private static Urn schemaField(DatasetUrn dataset, String field) {
        return Urn.createFromTuple("schemaField", dataset.toString(), field);
    }

    private static DataProcessInstanceProperties instanceProperties(OpenLineage.RunEvent event) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("runId", event.getRun().getRunId().toString());
        properties.put("eventType", String.valueOf(event.getEventType()));
        if (event.getProducer() != null) {
            properties.put("producer", event.getProducer().toString());
        }
        OpenLineage.RunFacets facets = event.getRun().getFacets();
        if (facets != null && facets.getErrorMessage() != null) {
            putIfPresent(properties, "errorMessage", facets.getErrorMessage().getMessage());
            putIfPresent(properties, "stackTrace", facets.getErrorMessage().getStackTrace());
            putIfPresent(properties, "programmingLanguage", facets.getErrorMessage().getProgrammingLanguage());
        }
        long created = facets != null && facets.getNominalTime() != null && facets.getNominalTime().getNominalStartTime() != null
                ? facets.getNominalTime().getNominalStartTime().toInstant().toEpochMilli()
                : event.getEventTime().toInstant().toEpochMilli();
        return new DataProcessInstanceProperties()
                .setName(event.getRun().getRunId().toString())
                .setType(DataProcessType.BATCH_SCHEDULED)
                .setCreated(new AuditStamp().setTime(created).setActor(ACTOR))
                .setCustomProperties(new StringMap(properties));
    }

    private static DataProcessInstanceRelationships relationships(OpenLineage.RunEvent event, DataJobUrn job) {
        DataProcessInstanceRelationships relationships = new DataProcessInstanceRelationships()
                .setParentTemplate(job)
                .setUpstreamInstances(new UrnArray());
        OpenLineage.RunFacets facets = event.getRun().getFacets();
        if (facets != null && facets.getParent() != null && facets.getParent().getRun() != null
                && facets.getParent().getRun().getRunId() != null
                && !facets.getParent().getRun().getRunId().equals(event.getRun().getRunId())) {
            relationships.setParentInstance(instanceUrn(facets.getParent().getRun().getRunId().toString()));
        }
        return relationships;
    }

    /** DataHub has STARTED and COMPLETE only; how a run ended is the result. OTHER events carry no state. */
    static Optional<DataProcessInstanceRunEvent> runEvent(OpenLineage.RunEvent event) {
        EventType type = event.getEventType();
        if (type == null || type == EventType.OTHER) {
            return Optional.empty();
        }
        DataProcessInstanceRunEvent runEvent = new DataProcessInstanceRunEvent()
                .setTimestampMillis(event.getEventTime().toInstant().toEpochMilli())
                .setAttempt(1);
        switch (type) {
            case START, RUNNING -> runEvent.setStatus(DataProcessRunStatus.STARTED);
            case COMPLETE -> runEvent.setStatus(DataProcessRunStatus.COMPLETE).setResult(result(RunResultType.SUCCESS, type));
            case FAIL -> runEvent.setStatus(DataProcessRunStatus.COMPLETE).setResult(result(RunResultType.FAILURE, type));
            case ABORT -> runEvent.setStatus(DataProcessRunStatus.COMPLETE).setResult(result(RunResultType.SKIPPED, type));
            default -> throw new IllegalStateException("unhandled event type " + type);
        }
        return Optional.of(runEvent);
    }

    private static DataProcessInstanceRunResult result(RunResultType type, EventType nativeType) {
        return new DataProcessInstanceRunResult().setType(type).setNativeResultType(nativeType.name());
    }

    private static MetadataChangeProposalWrapper<?> proposal(String entityType, Urn urn,
                                                             com.linkedin.data.template.RecordTemplate aspect) {
        return MetadataChangeProposalWrapper.builder().entityType(entityType).entityUrn(urn).upsert().aspect(aspect).build();
    }

    private static UrnArray urns(List<DatasetUrn> datasets) {
        return new UrnArray(new ArrayList<Urn>(datasets));
    }

    private static String lastSegment(String name) {
        int cut = Math.max(name.lastIndexOf('.'), name.lastIndexOf('/'));
        return cut >= 0 && cut < name.length() - 1 ? name.substring(cut + 1) : name;
    }

    private static void putIfPresent(Map<String, String> properties, String key, String value) {
        if (notBlank(value)) {
            properties.put(key, value);
        }
    }

    private static boolean notBlank(String value) {
        return value != null && !value.isBlank();
    }

    private static <T> List<T> nullSafe(List<T> list) {
        return list == null ? List.of() : list;
    }
}
