package dev.lineagehub.datahub.mapping;

import static dev.lineagehub.datahub.mapping.Aspects.notBlank;
import static dev.lineagehub.datahub.mapping.Aspects.nullSafe;
import static dev.lineagehub.datahub.mapping.Aspects.upsert;

import com.linkedin.common.Status;
import com.linkedin.common.urn.DatasetUrn;
import com.linkedin.common.urn.TagUrn;
import com.linkedin.common.urn.Urn;
import com.linkedin.mxe.MetadataChangeProposal;

import datahub.event.MetadataChangeProposalWrapper;

import io.openlineage.client.OpenLineage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A dataset's aspects and the column lineage between an event's datasets, each dataset named by {@link DatasetUrns}. */
final class DatasetAspects {

    private final DatasetUrns datasetUrns;
    private final SchemaMapper schemas = new SchemaMapper();

    DatasetAspects(DatasetUrns datasetUrns) {
        this.datasetUrns = datasetUrns;
    }

    /**
     * A dataset's status and schema, and its OpenLineage namespace as a custom property patched in:
     * the properties a native connector wrote (name, description, its own custom properties) stay.
     */
    DatasetUrn add(OpenLineage.Dataset dataset, List<MetadataChangeProposalWrapper<?>> proposals,
                   List<MetadataChangeProposal> patches) {
        DatasetUrn urn = datasetUrns.urn(dataset);
        // Entities without aspects are hidden from the lineage graph: always send at least the status.
        proposals.add(upsert("dataset", urn, new Status().setRemoved(false)));
        patches.add(Patches.customProperties(urn, Map.of("namespace", dataset.getNamespace())));
        OpenLineage.DatasetFacets facets = dataset.getFacets();
        if (facets != null && facets.getSchema() != null && facets.getSchema().getFields() != null) {
            proposals.add(upsert("dataset", urn, schemas.schemaMetadata(urn, facets.getSchema())));
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

    /**
     * Column lineage of each output, between the event's datasets, each named as its dataset is
     * (symlinks included); the facet's transformation type names the operation, else TRANSFORM.
     */
    Map<DatasetUrn, List<Patches.ColumnLineage>> columnLineage(JobSide side) {
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

    private static List<OpenLineage.Dataset> concat(List<? extends OpenLineage.Dataset> first, List<? extends OpenLineage.Dataset> second) {
        List<OpenLineage.Dataset> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}
