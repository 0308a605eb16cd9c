package dev.lineagehub.datahub.mapping;

import static dev.lineagehub.datahub.mapping.Aspects.ACTOR;
import static dev.lineagehub.datahub.mapping.Aspects.nullSafe;
import static dev.lineagehub.datahub.mapping.Aspects.upsert;

import com.linkedin.common.OwnerArray;
import com.linkedin.common.Status;
import com.linkedin.common.urn.DataFlowUrn;
import com.linkedin.common.urn.DataJobUrn;
import com.linkedin.common.urn.DatasetUrn;
import com.linkedin.common.urn.TagUrn;
import com.linkedin.common.urn.Urn;
import com.linkedin.data.template.StringMap;
import com.linkedin.datajob.DataFlowInfo;
import com.linkedin.dataprocess.DataProcessInstanceInput;
import com.linkedin.dataprocess.DataProcessInstanceOutput;
import com.linkedin.mxe.MetadataChangeProposal;

import datahub.event.MetadataChangeProposalWrapper;

import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineage.RunEvent.EventType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One OpenLineage run event to the DataHub proposals that describe it, in four stages that must be
 * written in order: the datasets it reads and writes, the DataFlow, the DataJob (with the patches that
 * add lineage edges and tags), then the DataProcessInstance of the run and, for a COMPLETE, the
 * operation it performed on each output. Pure: no I/O, no clock.
 */
public final class RunEventMapper {

    private final Jobs jobs;
    private final DatasetAspects datasetAspects;

    public RunEventMapper(MappingOptions options) {
        this.jobs = new Jobs(options);
        this.datasetAspects = new DatasetAspects(new DatasetUrns(options));
    }

    public MappedEvent map(OpenLineage.RunEvent event) {
        JobSide side = new JobSide(event.getJob(), event.getProducer(), event.getEventTime(), event.getRun().getFacets(),
                event.getInputs(), event.getOutputs());
        Templates templates = templates(side);
        Urn instance = RunInstances.instanceUrn(event.getRun().getRunId().toString());
        List<MetadataChangeProposalWrapper<?>> run = new ArrayList<>();
        run.add(upsert("dataProcessInstance", instance, RunInstances.properties(event, Jobs.streaming(side))));
        run.add(upsert("dataProcessInstance", instance, RunInstances.relationships(event, templates.job())));
        if (!templates.inputs().isEmpty()) {
            run.add(upsert("dataProcessInstance", instance, new DataProcessInstanceInput().setInputs(RunInstances.urns(templates.inputs()))));
        }
        if (!templates.outputs().isEmpty()) {
            run.add(upsert("dataProcessInstance", instance, new DataProcessInstanceOutput().setOutputs(RunInstances.urns(templates.outputs()))));
        }
        RunInstances.runEvent(event).ifPresent(runEvent -> run.add(upsert("dataProcessInstance", instance, runEvent)));
        if (event.getEventType() == EventType.COMPLETE) {
            List<OpenLineage.OutputDataset> outputs = nullSafe(event.getOutputs());
            for (int i = 0; i < outputs.size(); i++) {
                DatasetUrn output = templates.outputs().get(i);
                Operations.of(outputs.get(i), event.getEventTime().toInstant().toEpochMilli(), event.getRun().getRunId().toString(), ACTOR)
                        .ifPresent(operation -> run.add(upsert("dataset", output, operation)));
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
        datasetAspects.add(event.getDataset(), datasets, patches);
        return new MappedEvent(datasets, List.of(), List.of(), patches, List.of());
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
            inputs.add(datasetAspects.add(input, datasets, patches));
        }
        for (OpenLineage.OutputDataset output : nullSafe(side.outputs())) {
            outputs.add(datasetAspects.add(output, datasets, patches));
        }
        OpenLineage.Job job = side.job();
        DataFlowUrn flow = jobs.flowUrn(side);
        DataJobUrn jobUrn = UrnParts.checked(new DataJobUrn(flow, UrnParts.encode(job.getName())));
        List<MetadataChangeProposalWrapper<?>> flows = new ArrayList<>();
        flows.add(upsert("dataFlow", flow, new DataFlowInfo()
                .setName(flow.getFlowIdEntity()).setCustomProperties(new StringMap(Map.of("namespace", job.getNamespace())))));
        flows.add(upsert("dataFlow", flow, new Status().setRemoved(false)));
        List<MetadataChangeProposalWrapper<?>> jobProposals = new ArrayList<>();
        jobProposals.add(upsert("dataJob", jobUrn, Jobs.info(side, flow)));
        jobProposals.add(upsert("dataJob", jobUrn, new Status().setRemoved(false)));
        OwnerArray owners = Owners.of(job);
        if (!owners.isEmpty()) {
            patches.add(Patches.owners("dataJob", jobUrn, owners));
        }
        List<DataJobUrn> parents = jobs.parentJob(side).filter(parent -> !parent.equals(jobUrn)).stream().toList();
        if (!inputs.isEmpty() || !outputs.isEmpty() || !parents.isEmpty()) {
            patches.add(Patches.jobEdges(jobUrn, inputs, outputs, parents));
        }
        Set<TagUrn> tags = Jobs.tags(job, side.runFacets());
        if (!tags.isEmpty()) {
            patches.add(Patches.tags("dataJob", jobUrn, tags));
        }
        long time = side.eventTime() == null ? 0 : side.eventTime().toInstant().toEpochMilli();
        datasetAspects.columnLineage(side).forEach((output, columns) -> patches.add(Patches.upstreams(output, columns, time, ACTOR)));
        return new Templates(datasets, flows, jobProposals, patches, jobUrn, inputs, outputs);
    }
























}
