package dev.lineagehub.datahub.mapping;

import static dev.lineagehub.datahub.mapping.Aspects.notBlank;
import static dev.lineagehub.datahub.mapping.Aspects.putIfPresent;

import com.linkedin.common.urn.DataFlowUrn;
import com.linkedin.common.urn.DataJobUrn;
import com.linkedin.common.urn.TagUrn;
import com.linkedin.data.template.StringMap;
import com.linkedin.datajob.DataJobInfo;

import io.openlineage.client.OpenLineage;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The DataFlow and DataJob of a job, named as DataHub's converter names them: the flow from the job's name up to its
 * first dot, in the orchestrator's name and the job's namespace (or the platform instance); the job's info, tags
 * and the parent job that started it.
 */
final class Jobs {

    private static final List<String> KNOWN_ORCHESTRATORS = List.of("airflow", "dagster", "spark", "flink", "trino", "dbt");

    private final MappingOptions options;

    Jobs(MappingOptions options) {
        this.options = options;
    }

    DataFlowUrn flowUrn(JobSide side) {
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
    Optional<DataJobUrn> parentJob(JobSide side) {
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
    static boolean streaming(JobSide side) {
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

    static DataJobInfo info(JobSide side, DataFlowUrn flow) {
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

    /** The job's tags facet and the run's, as DataHub's converter merges them onto the job. */
    static Set<TagUrn> tags(OpenLineage.Job job, OpenLineage.RunFacets runFacets) {
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
}
