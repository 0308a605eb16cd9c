package dev.lineagehub.datahub.mapping;

import com.linkedin.common.Operation;
import com.linkedin.common.OperationSourceType;
import com.linkedin.common.OperationType;
import com.linkedin.common.urn.Urn;
import com.linkedin.data.template.StringMap;

import io.openlineage.client.OpenLineage;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a completed run did to an output, as DataHub's {@code operation} aspect (the dataset's "last
 * updated" and its row counts): from the output statistics facet, typed by the lifecycle state change
 * facet when there is one, else an INSERT. Only a COMPLETE carries final statistics, so only it
 * becomes an operation; the run id is kept so the operation leads back to the run.
 */
final class Operations {

    private Operations() {
    }

    static Optional<Operation> of(OpenLineage.OutputDataset output, long eventTimeMillis, String runId, Urn actor) {
        OpenLineage.OutputDatasetOutputFacets facets = output.getOutputFacets();
        if (facets == null || facets.getOutputStatistics() == null) {
            return Optional.empty();
        }
        OpenLineage.OutputStatisticsOutputDatasetFacet statistics = facets.getOutputStatistics();
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("runId", runId);
        if (statistics.getSize() != null) {
            properties.put("size", statistics.getSize().toString());
        }
        if (statistics.getFileCount() != null) {
            properties.put("fileCount", statistics.getFileCount().toString());
        }
        Operation operation = new Operation()
                .setTimestampMillis(eventTimeMillis)
                .setLastUpdatedTimestamp(eventTimeMillis)
                .setActor(actor)
                .setSourceType(OperationSourceType.DATA_PROCESS)
                .setCustomProperties(new StringMap(properties));
        OpenLineage.LifecycleStateChangeDatasetFacet.LifecycleStateChange change = lifecycleChange(output);
        switch (change == null ? "INSERT" : change.name()) {
            case "CREATE" -> operation.setOperationType(OperationType.CREATE);
            case "ALTER", "RENAME" -> operation.setOperationType(OperationType.ALTER);
            case "DROP" -> operation.setOperationType(OperationType.DROP);
            case "TRUNCATE" -> operation.setOperationType(OperationType.DELETE);
            case "INSERT" -> operation.setOperationType(OperationType.INSERT);
            // OVERWRITE replaces the data: DataHub has no such type, so it is a custom one that says so.
            default -> operation.setOperationType(OperationType.CUSTOM).setCustomOperationType(change.name());
        }
        if (statistics.getRowCount() != null) {
            operation.setNumAffectedRows(statistics.getRowCount());
        }
        return Optional.of(operation);
    }

    private static OpenLineage.LifecycleStateChangeDatasetFacet.LifecycleStateChange lifecycleChange(OpenLineage.OutputDataset output) {
        OpenLineage.DatasetFacets facets = output.getFacets();
        return facets == null || facets.getLifecycleStateChange() == null ? null : facets.getLifecycleStateChange().getLifecycleStateChange();
    }
}
