package dev.lineagehub.datahub.mapping;

import static dev.lineagehub.datahub.mapping.Aspects.ACTOR;
import static dev.lineagehub.datahub.mapping.Aspects.putIfPresent;

import com.linkedin.common.AuditStamp;
import com.linkedin.common.UrnArray;
import com.linkedin.common.urn.DataJobUrn;
import com.linkedin.common.urn.DatasetUrn;
import com.linkedin.common.urn.Urn;
import com.linkedin.data.template.StringMap;
import com.linkedin.dataprocess.DataProcessInstanceProperties;
import com.linkedin.dataprocess.DataProcessInstanceRelationships;
import com.linkedin.dataprocess.DataProcessInstanceRunEvent;
import com.linkedin.dataprocess.DataProcessInstanceRunResult;
import com.linkedin.dataprocess.DataProcessRunStatus;
import com.linkedin.dataprocess.DataProcessType;
import com.linkedin.dataprocess.RunResultType;

import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineage.RunEvent.EventType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A run's DataProcessInstance: its URN, properties, relationships and run events, as DataHub's converter maps them. */
final class RunInstances {

    private RunInstances() {
    }

    /** Stable across START, RUNNING and COMPLETE of one run, as DataHub's own converter names it. */
    static Urn instanceUrn(String runId) {
        return Urn.createFromTuple("dataProcessInstance", runId);
    }

    static DataProcessInstanceProperties properties(OpenLineage.RunEvent event, boolean streaming) {
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

    static DataProcessInstanceRelationships relationships(OpenLineage.RunEvent event, DataJobUrn job) {
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

    static UrnArray urns(List<DatasetUrn> datasets) {
        return new UrnArray(new ArrayList<Urn>(datasets));
    }
}
