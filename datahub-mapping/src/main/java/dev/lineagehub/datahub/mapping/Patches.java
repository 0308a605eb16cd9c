package dev.lineagehub.datahub.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linkedin.common.urn.Urn;
import com.linkedin.data.ByteString;
import com.linkedin.events.metadata.ChangeType;
import com.linkedin.mxe.GenericAspect;
import com.linkedin.mxe.MetadataChangeProposal;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * DataHub patch proposals, which add to what GMS has instead of replacing it: each run of a job adds
 * its datasets to the job's edges (one run reads chunk 1, the next chunk 2: the job shows both),
 * column lineage adds fine-grained upstreams to the output dataset, and a dataset's OpenLineage
 * namespace is added to its custom properties without touching the name, description and properties
 * DataHub's own connectors set, and OpenLineage tags are added to the tags people set in DataHub.
 * The same JSON Patch operations as the DataHub client's patch builders write, without their
 * wall-clock timestamps, so that mapping stays a pure function of the event (and an unchanged patch
 * can be cached).
 */
public final class Patches {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Patches() {
    }

    /** The job's input and output dataset edges and its input job edges (the job that started it), added. */
    static MetadataChangeProposal jobEdges(Urn job, List<? extends Urn> inputs, List<? extends Urn> outputs, List<? extends Urn> inputJobs) {
        ArrayNode ops = JSON.createArrayNode();
        inputs.forEach(input -> add(ops, "/inputDatasetEdges/" + escape(input.toString()), edge(input)));
        outputs.forEach(output -> add(ops, "/outputDatasetEdges/" + escape(output.toString()), edge(output)));
        inputJobs.forEach(input -> add(ops, "/inputDatajobEdges/" + escape(input.toString()), edge(input)));
        return patch("dataJob", job, "dataJobInputOutput", ops);
    }

    /** One column of an output derived from columns of its upstream datasets. */
    record ColumnLineage(Urn upstreamDataset, Urn upstreamField, Urn downstreamField, String transformOperation) {
    }

    /** The output dataset's upstreams and fine-grained lineage, added; {@code time} stamps the upstreams (the event's time). */
    static MetadataChangeProposal upstreams(Urn output, List<ColumnLineage> columns, long time, Urn actor) {
        ArrayNode ops = JSON.createArrayNode();
        columns.stream().map(ColumnLineage::upstreamDataset).distinct().forEach(upstream -> {
            ObjectNode value = JSON.createObjectNode().put("dataset", upstream.toString()).put("type", "TRANSFORMED");
            value.putObject("auditStamp").put("time", time).put("actor", actor.toString());
            add(ops, "/upstreams/" + escape(upstream.toString()), value);
        });
        for (ColumnLineage column : columns) {
            add(ops, "/fineGrainedLineages/" + escape(column.transformOperation()) + "/" + escape(column.downstreamField().toString())
                    + "/NONE/" + escape(column.upstreamField().toString()), JSON.createObjectNode().put("confidenceScore", 1.0));
        }
        return patch("dataset", output, "upstreamLineage", ops);
    }

    /** Custom properties added to (or replaced in) the dataset's properties, the rest of them left as they are. */
    static MetadataChangeProposal customProperties(Urn dataset, java.util.Map<String, String> properties) {
        ArrayNode ops = JSON.createArrayNode();
        properties.forEach((key, value) -> add(ops, "/customProperties/" + escape(key), JSON.getNodeFactory().textNode(value)));
        return patch("dataset", dataset, "datasetProperties", ops);
    }

    /**
     * Tags added to the entity's global tags: tags set in DataHub's UI, or by another job, stay (an
     * upsert of {@code globalTags} would replace them with this event's).
     */
    static MetadataChangeProposal tags(String entityType, Urn entity, java.util.Collection<? extends Urn> tags) {
        ArrayNode ops = JSON.createArrayNode();
        tags.forEach(tag -> add(ops, "/tags/" + escape(tag.toString()), JSON.createObjectNode().put("tag", tag.toString())));
        return patch(entityType, entity, "globalTags", ops);
    }

    /** Owners added to the entity's ownership, keyed as GMS keys them (owner and type): owners set in DataHub stay. */
    static MetadataChangeProposal owners(String entityType, Urn entity, com.linkedin.common.OwnerArray owners) {
        ArrayNode ops = JSON.createArrayNode();
        owners.forEach(owner -> add(ops, "/owners/" + escape(owner.getOwner().toString()) + "/" + owner.getType().name(),
                JSON.createObjectNode().put("owner", owner.getOwner().toString()).put("type", owner.getType().name())));
        return patch(entityType, entity, "ownership", ops);
    }

    private static ObjectNode edge(Urn destination) {
        return JSON.createObjectNode().put("destinationUrn", destination.toString());
    }

    private static void add(ArrayNode ops, String path, JsonNode value) {
        ops.addObject().put("op", "add").put("path", path).set("value", value);
    }

    /** A JSON Pointer segment: {@code ~} and {@code /} escaped (RFC 6901). */
    static String escape(String segment) {
        return segment.replace("~", "~0").replace("/", "~1");
    }

    private static MetadataChangeProposal patch(String entityType, Urn urn, String aspectName, ArrayNode ops) {
        return new MetadataChangeProposal().setEntityType(entityType).setEntityUrn(urn).setAspectName(aspectName)
                .setChangeType(ChangeType.PATCH)
                .setAspect(new GenericAspect().setContentType("application/json")
                        .setValue(ByteString.copy(ops.toString().getBytes(StandardCharsets.UTF_8))));
    }
}
