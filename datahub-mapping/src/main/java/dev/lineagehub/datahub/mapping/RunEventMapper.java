package dev.lineagehub.datahub.mapping;

import com.linkedin.common.AuditStamp;
import com.linkedin.common.Owner;
import com.linkedin.common.OwnerArray;
import com.linkedin.common.OwnershipType;
import com.linkedin.common.Status;
import com.linkedin.common.UrnArray;
import com.linkedin.common.urn.DataFlowUrn;
import com.linkedin.common.urn.DataJobUrn;
import com.linkedin.common.urn.DatasetUrn;
import com.linkedin.common.urn.TagUrn;
import com.linkedin.common.urn.Urn;
import com.linkedin.data.template.StringMap;
import com.linkedin.datajob.DataFlowInfo;
import com.linkedin.datajob.DataJobInfo;
import com.linkedin.dataprocess.DataProcessInstanceInput;
import com.linkedin.dataprocess.DataProcessInstanceOutput;
import com.linkedin.dataprocess.DataProcessInstanceProperties;
import com.linkedin.dataprocess.DataProcessInstanceRelationships;
import com.linkedin.dataprocess.DataProcessInstanceRunEvent;
import com.linkedin.dataprocess.DataProcessInstanceRunResult;
import com.linkedin.dataprocess.DataProcessRunStatus;
import com.linkedin.dataprocess.DataProcessType;
import com.linkedin.dataprocess.RunResultType;

import com.linkedin.mxe.MetadataChangeProposal;

import datahub.event.MetadataChangeProposalWrapper;

import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineage.RunEvent.EventType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One OpenLineage run event to the DataHub proposals that describe it, in four stages that must be
 * written in order: the datasets it reads and writes, the DataFlow, the DataJob (with the patches that
 * add lineage edges and tags), then the DataProcessInstance of the run and, for a COMPLETE, the
 * operation it performed on each output. Pure: no I/O, no clock.
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
        JobSide side = new JobSide(event.getJob(), event.getProducer(), event.getEventTime(), event.getRun().getFacets(),
                event.getInputs(), event.getOutputs());
        Templates templates = templates(side);
        Urn instance = instanceUrn(event.getRun().getRunId().toString());
        List<MetadataChangeProposalWrapper<?>> run = new ArrayList<>();
        run.add(proposal("dataProcessInstance", instance, instanceProperties(event, streaming(side))));
        run.add(proposal("dataProcessInstance", instance, relationships(event, templates.job())));
        if (!templates.inputs().isEmpty()) {
            run.add(proposal("dataProcessInstance", instance, new DataProcessInstanceInput().setInputs(urns(templates.inputs()))));
        }
        if (!templates.outputs().isEmpty()) {
            run.add(proposal("dataProcessInstance", instance, new DataProcessInstanceOutput().setOutputs(urns(templates.outputs()))));
        }
        runEvent(event).ifPresent(runEvent -> run.add(proposal("dataProcessInstance", instance, runEvent)));
        if (event.getEventType() == EventType.COMPLETE) {
            List<OpenLineage.OutputDataset> outputs = nullSafe(event.getOutputs());
            for (int i = 0; i < outputs.size(); i++) {
                DatasetUrn output = templates.outputs().get(i);
                Operations.of(outputs.get(i), event.getEventTime().toInstant().toEpochMilli(), event.getRun().getRunId().toString(), ACTOR)
                        .ifPresent(operation -> run.add(proposal("dataset", output, operation)));
            }
        }
        return new MappedEvent(templates.datasets(), templates.flows(), templates.jobs(), templates.patches(), run);
    }

    /** A job event (a job's definition without a run): its datasets, DataFlow and DataJob, as for a run of it. */
    public MappedEvent map(OpenLineage.JobEvent event) {
        Templates templates = templates(new JobSide(event.getJob(), event.getProducer(), event.getEventTime(), null,
                event.getInputs(), event.getOutputs()));
        return new MappedEvent(templates.datasets(), templates.flows(), templates.jobs(), templates.patches(), List.of());
    }

    /** A dataset event (a dataset's metadata changed, no job involved): its dataset aspects. */
    public MappedEvent map(OpenLineage.DatasetEvent event) {
        List<MetadataChangeProposalWrapper<?>> datasets = new ArrayList<>();
        List<MetadataChangeProposal> patches = new ArrayList<>();
        dataset(event.getDataset(), datasets, patches);
        return new MappedEvent(datasets, List.of(), List.of(), patches, List.of());
    }

    /**
     * What a run event and a job event say about the job: the job, who produced it and when, run facets
     * (none for a job event), datasets.
     */
    private record JobSide(OpenLineage.Job job, java.net.URI producer, java.time.ZonedDateTime eventTime,
                           OpenLineage.RunFacets runFacets, List<OpenLineage.InputDataset> inputs,
                           List<OpenLineage.OutputDataset> outputs) {
    }

    private record Templates(List<MetadataChangeProposalWrapper<?>> datasets, List<MetadataChangeProposalWrapper<?>> flows,
                             List<MetadataChangeProposalWrapper<?>> jobs, List<MetadataChangeProposal> patches, DataJobUrn job,
                             List<DatasetUrn> inputs, List<DatasetUrn> outputs) {
    }

    private Templates templates(JobSide side) {
        List<MetadataChangeProposalWrapper<?>> datasets = new ArrayList<>();
        List<MetadataChangeProposal> patches = new ArrayList<>();
        List<DatasetUrn> inputs = new ArrayList<>();
        List<DatasetUrn> outputs = new ArrayList<>();
        for (OpenLineage.InputDataset input : nullSafe(side.inputs())) {
            inputs.add(dataset(input, datasets, patches));
        }
        for (OpenLineage.OutputDataset output : nullSafe(side.outputs())) {
            outputs.add(dataset(output, datasets, patches));
        }
        OpenLineage.Job job = side.job();
        DataFlowUrn flow = flowUrn(side);
        DataJobUrn jobUrn = UrnParts.checked(new DataJobUrn(flow, UrnParts.encode(job.getName())));
        List<MetadataChangeProposalWrapper<?>> flows = new ArrayList<>();
        flows.add(proposal("dataFlow", flow, new DataFlowInfo()
                .setName(flow.getFlowIdEntity()).setCustomProperties(new StringMap(Map.of("namespace", job.getNamespace())))));
        flows.add(proposal("dataFlow", flow, new Status().setRemoved(false)));
        List<MetadataChangeProposalWrapper<?>> jobs = new ArrayList<>();
        jobs.add(proposal("dataJob", jobUrn, jobInfo(side, flow)));
        jobs.add(proposal("dataJob", jobUrn, new Status().setRemoved(false)));
        OwnerArray owners = owners(job);
        if (!owners.isEmpty()) {
            patches.add(Patches.owners("dataJob", jobUrn, owners));
        }
        List<DataJobUrn> parents = parentJob(side).filter(parent -> !parent.equals(jobUrn)).stream().toList();
        if (!inputs.isEmpty() || !outputs.isEmpty() || !parents.isEmpty()) {
            patches.add(Patches.jobEdges(jobUrn, inputs, outputs, parents));
        }
        Set<TagUrn> tags = jobTags(job, side.runFacets());
        if (!tags.isEmpty()) {
            patches.add(Patches.tags("dataJob", jobUrn, tags));
        }
        long time = side.eventTime() == null ? 0 : side.eventTime().toInstant().toEpochMilli();
        columnLineage(side).forEach((output, columns) -> patches.add(Patches.upstreams(output, columns, time, ACTOR)));
        return new Templates(datasets, flows, jobs, patches, jobUrn, inputs, outputs);
    }

    /** The job's tags facet and the run's, as DataHub's converter merges them onto the job. */
    private static Set<TagUrn> jobTags(OpenLineage.Job job, OpenLineage.RunFacets runFacets) {
        Set<TagUrn> tags = new java.util.LinkedHashSet<>();
        if (job.getFacets() != null && job.getFacets().getTags() != null) {
            tags.addAll(Tags.of(OpenLineage.TagsJobFacetFields::getKey, OpenLineage.TagsJobFacetFields::getValue,
                    job.getFacets().getTags().getTags()));
        }
        if (runFacets != null && runFacets.getTags() != null) {
            tags.addAll(Tags.of(OpenLineage.TagsRunFacetFields::getKey, OpenLineage.TagsRunFacetFields::getValue,
                    runFacets.getTags().getTags()));
        }
        return tags;
    }

    /**
     * The ownership job facet as DataHub owners of the job, as DataHub's converter places them (not on
     * the flow, which other jobs share): {@code user:x} (or a bare name) a user, {@code team:x} and
     * {@code group:x} a group; the facet's type when DataHub has it, else technical owner ({@link #ownershipType}).
     */
    private static OwnerArray owners(OpenLineage.Job job) {
        OwnerArray owners = new OwnerArray();
        OpenLineage.JobFacets facets = job.getFacets();
        if (facets == null || facets.getOwnership() == null || facets.getOwnership().getOwners() == null) {
            return owners;
        }
        for (OpenLineage.OwnershipJobFacetOwners owner : facets.getOwnership().getOwners()) {
            if (!notBlank(owner.getName())) {
                continue;
            }
            String name = owner.getName();
            int colon = name.indexOf(':');
            String kind = colon > 0 ? name.substring(0, colon).toLowerCase(Locale.ROOT) : "user";
            String id = colon > 0 ? name.substring(colon + 1) : name;
            if (id.isEmpty()) {
                continue;
            }
            Urn urn = Urn.createFromTuple(kind.equals("team") || kind.equals("group") ? "corpGroup" : "corpuser", UrnParts.encode(id));
            if (UrnParts.valid(urn)) {
                // An owner is decoration, like a tag: one no URN can name is left out, not the event.
                owners.add(new Owner().setOwner(urn).setType(ownershipType(owner.getType())));
            }
        }
        return owners;
    }

    /**
     * OpenLineage's owner type is free text ({@code MAINTAINER} in its own examples); DataHub takes only its enum. A
     * type DataHub names is kept, any other falls back to technical owner, as DataHub's converter falls back to one
     * type for every owner: an unknown type never costs the event. {@code CUSTOM} needs a custom type URN, which an
     * event cannot name, so it falls back too.
     */
    static OwnershipType ownershipType(String named) {
        String wanted = named == null ? "" : named.strip().toUpperCase(Locale.ROOT);
        for (OwnershipType type : OwnershipType.values()) {
            if (type != OwnershipType.$UNKNOWN && type != OwnershipType.CUSTOM && type.name().equals(wanted)) {
                return type;
            }
        }
        return OwnershipType.TECHNICAL_OWNER;
    }

    /** Stable across START, RUNNING and COMPLETE of one run, as DataHub's own converter names it. */
    public static Urn instanceUrn(String runId) {
        return Urn.createFromTuple("dataProcessInstance", runId);
    }

    /**
     * A dataset's status and schema, and its OpenLineage namespace as a custom property patched in:
     * the properties a native connector wrote (name, description, its own custom properties) stay.
     */
    private DatasetUrn dataset(OpenLineage.Dataset dataset, List<MetadataChangeProposalWrapper<?>> proposals,
                               List<MetadataChangeProposal> patches) {
        DatasetUrn urn = datasetUrns.urn(dataset);
        // Entities without aspects are hidden from the lineage graph: always send at least the status.
        proposals.add(proposal("dataset", urn, new Status().setRemoved(false)));
        patches.add(Patches.customProperties(urn, Map.of("namespace", dataset.getNamespace())));
        OpenLineage.DatasetFacets facets = dataset.getFacets();
        if (facets != null && facets.getSchema() != null && facets.getSchema().getFields() != null) {
            proposals.add(proposal("dataset", urn, schemas.schemaMetadata(urn, facets.getSchema())));
        }
        if (facets != null && facets.getTags() != null && facets.getTags().getTags() != null) {
            // Tags on a column (their field set) belong to the schema's fields, not to the dataset.
            Set<TagUrn> tags = Tags.of(OpenLineage.TagsDatasetFacetFields::getKey, OpenLineage.TagsDatasetFacetFields::getValue,
                    facets.getTags().getTags().stream().filter(tag -> !notBlank(tag.getField())).toList());
            if (!tags.isEmpty()) {
                patches.add(Patches.tags("dataset", urn, tags));
            }
        }
        return urn;
    }

    private DataFlowUrn flowUrn(JobSide side) {
        String name = side.job().getName();
        int dot = name.indexOf('.');
        String flowId = dot > 0 ? name.substring(0, dot) : name;
        String cluster = options.hasPlatformInstance() ? options.platformInstance() : side.job().getNamespace();
        return UrnParts.checked(new DataFlowUrn(UrnParts.encode(orchestrator(side)), UrnParts.encode(flowId), UrnParts.encode(cluster)));
    }

    /**
     * The job that started this one (the run's parent facet, e.g. the Airflow task that ran a Spark job), as an input job
     * edge, as DataHub's converter adds one. Named as that job's own events name it: its flow and orchestrator from its
     * namespace, name and the facet's producer. The converter puts the child's job name in the parent's flow, a job
     * nobody emits, so the edge would lead nowhere; a parent no URN can name is left out, as the edge is decoration.
     */
    private Optional<DataJobUrn> parentJob(JobSide side) {
        OpenLineage.RunFacets facets = side.runFacets();
        if (facets == null || facets.getParent() == null || facets.getParent().getJob() == null
                || !notBlank(facets.getParent().getJob().getName()) || !notBlank(facets.getParent().getJob().getNamespace())) {
            return Optional.empty();
        }
        OpenLineage.ParentRunFacetJob parent = facets.getParent().getJob();
        java.net.URI producer = facets.getParent().get_producer();
        OpenLineage.Job job = new OpenLineage(producer == null ? side.producer() : producer).newJobBuilder()
                .namespace(parent.getNamespace()).name(parent.getName()).build();
        try {
            JobSide parentSide = new JobSide(job, producer == null ? side.producer() : producer, side.eventTime(), null, List.of(), List.of());
            return Optional.of(UrnParts.checked(new DataJobUrn(flowUrn(parentSide), UrnParts.encode(parent.getName()))));
        } catch (InvalidUrnException unnameable) {
            return Optional.empty();
        }
    }

    /** Configured, else jobType facet integration, else processing_engine facet, else the producer URL, else the default. */
    private String orchestrator(JobSide side) {
        if (!options.orchestrator().isEmpty()) {
            return options.orchestrator();
        }
        OpenLineage.JobFacets jobFacets = side.job().getFacets();
        if (jobFacets != null && jobFacets.getJobType() != null && notBlank(jobFacets.getJobType().getIntegration())) {
            return jobFacets.getJobType().getIntegration().toLowerCase(Locale.ROOT);
        }
        OpenLineage.RunFacets runFacets = side.runFacets();
        if (runFacets != null && runFacets.getProcessing_engine() != null && notBlank(runFacets.getProcessing_engine().getName())) {
            return runFacets.getProcessing_engine().getName().toLowerCase(Locale.ROOT);
        }
        String producer = producer(side.producer());
        return KNOWN_ORCHESTRATORS.stream().filter(producer::contains).findFirst().orElse(options.defaultOrchestrator());
    }

    /** The jobType facet's processing type when there is one; else streaming for Flink, whose jobs mostly are. */
    private static boolean streaming(JobSide side) {
        OpenLineage.JobFacets facets = side.job().getFacets();
        if (facets != null && facets.getJobType() != null && notBlank(facets.getJobType().getProcessingType())) {
            return "STREAMING".equalsIgnoreCase(facets.getJobType().getProcessingType());
        }
        OpenLineage.RunFacets run = side.runFacets();
        String engine = run != null && run.getProcessing_engine() != null ? run.getProcessing_engine().getName() : null;
        return "flink".equalsIgnoreCase(engine) || producer(side.producer()).contains("flink");
    }

    private static String producer(java.net.URI producer) {
        return producer == null ? "" : producer.toString().toLowerCase(Locale.ROOT);
    }

    private static DataJobInfo jobInfo(JobSide side, DataFlowUrn flow) {
        OpenLineage.Job job = side.job();
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("namespace", job.getNamespace());
        String type = streaming(side) ? "STREAMING" : "BATCH";
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

    /**
     * Column lineage of each output, between the event's datasets, each named as its dataset is
     * (symlinks included); the facet's transformation type names the operation, else TRANSFORM.
     */
    private Map<DatasetUrn, List<Patches.ColumnLineage>> columnLineage(JobSide side) {
        Map<String, DatasetUrn> named = new java.util.HashMap<>();
        for (OpenLineage.Dataset dataset : concat(nullSafe(side.inputs()), nullSafe(side.outputs()))) {
            named.put(dataset.getNamespace() + '\n' + dataset.getName(), datasetUrns.urn(dataset));
        }
        Map<DatasetUrn, List<Patches.ColumnLineage>> lineage = new LinkedHashMap<>();
        for (OpenLineage.OutputDataset output : nullSafe(side.outputs())) {
            OpenLineage.DatasetFacets facets = output.getFacets();
            if (facets == null || facets.getColumnLineage() == null || facets.getColumnLineage().getFields() == null) {
                continue;
            }
            DatasetUrn downstream = datasetUrns.urn(output);
            List<Patches.ColumnLineage> columns = new ArrayList<>();
            facets.getColumnLineage().getFields().getAdditionalProperties().forEach((field, fieldLineage) -> {
                String operation = notBlank(fieldLineage.getTransformationType()) ? fieldLineage.getTransformationType() : "TRANSFORM";
                for (OpenLineage.InputField input : nullSafe(fieldLineage.getInputFields())) {
                    DatasetUrn upstream = named.computeIfAbsent(input.getNamespace() + '\n' + input.getName(),
                            key -> datasetUrns.urn(input.getNamespace(), input.getName()));
                    columns.add(new Patches.ColumnLineage(upstream, schemaField(upstream, input.getField()),
                            schemaField(downstream, field), operation));
                }
            });
            if (!columns.isEmpty()) {
                lineage.put(downstream, columns);
            }
        }
        return lineage;
    }

    private static Urn schemaField(DatasetUrn dataset, String field) {
        return UrnParts.checked(Urn.createFromTuple("schemaField", dataset.toString(), UrnParts.encode(field)));
    }

    private static DataProcessInstanceProperties instanceProperties(OpenLineage.RunEvent event, boolean streaming) {
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
                .setType(streaming ? DataProcessType.STREAMING : DataProcessType.BATCH_SCHEDULED)
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

    /**
     * DataHub has STARTED and COMPLETE only; how a run ended is the result: SUCCESS for a COMPLETE
     * without an error facet, FAILURE for FAIL, ABORT and a COMPLETE with one. OTHER events carry no state.
     */
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
            // A COMPLETE carrying an errorMessage facet did not succeed; ABORT is a failure too, as DataHub's converter maps it.
            case COMPLETE -> runEvent.setStatus(DataProcessRunStatus.COMPLETE)
                    .setResult(result(hasError(event) ? RunResultType.FAILURE : RunResultType.SUCCESS, type));
            case FAIL, ABORT -> runEvent.setStatus(DataProcessRunStatus.COMPLETE).setResult(result(RunResultType.FAILURE, type));
            default -> throw new IllegalStateException("unhandled event type " + type);
        }
        return Optional.of(runEvent);
    }

    private static boolean hasError(OpenLineage.RunEvent event) {
        return event.getRun().getFacets() != null && event.getRun().getFacets().getErrorMessage() != null;
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

    private static void putIfPresent(Map<String, String> properties, String key, String value) {
        if (notBlank(value)) {
            properties.put(key, value);
        }
    }

    private static boolean notBlank(String value) {
        return value != null && !value.isBlank();
    }

    private static List<OpenLineage.Dataset> concat(List<? extends OpenLineage.Dataset> first, List<? extends OpenLineage.Dataset> second) {
        List<OpenLineage.Dataset> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private static <T> List<T> nullSafe(List<T> list) {
        return list == null ? List.of() : list;
    }
}
