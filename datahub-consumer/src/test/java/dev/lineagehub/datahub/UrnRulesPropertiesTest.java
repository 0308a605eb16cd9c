package dev.lineagehub.datahub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linkedin.data.DataList;
import com.linkedin.data.DataMap;
import com.linkedin.mxe.MetadataChangeProposal;

import datahub.event.MetadataChangeProposalWrapper;

import dev.lineagehub.datahub.mapping.InvalidUrnException;
import dev.lineagehub.datahub.mapping.MappedEvent;
import dev.lineagehub.datahub.mapping.MappingOptions;
import dev.lineagehub.datahub.mapping.RunEventMapper;
import dev.lineagehub.datahub.mapping.UrnNames;

import io.openlineage.client.OpenLineage;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Every URN the mapper writes is one GMS takes, over any names: it passes GMS's {@code UrnValidationUtil} rules on
 * DataHub's own parser ({@link GmsDouble#urnViolation}). Or the event is refused as {@link InvalidUrnException} — and
 * only for the length or an empty name, since encoding makes every other name nameable.
 */
class UrnRulesPropertiesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final RunEventMapper mapper = new RunEventMapper(MappingOptions.defaults());

    @Property(tries = 400)
    void everyUrnWrittenIsOneGmsTakes(@ForAll("names") String namespace, @ForAll("names") String job, @ForAll("names") String dataset,
                                      @ForAll("names") String field, @ForAll("names") String upstreamField, @ForAll("names") String tag,
                                      @ForAll("names") String owner) throws IOException {
        OpenLineage.RunEvent event = event(namespace, job, dataset, field, upstreamField, tag, owner);
        MappedEvent mapped;
        try {
            mapped = mapper.map(event);
        } catch (InvalidUrnException refused) {
            assertThat(refused.getMessage()).containsAnyOf("more than DataHub's 512", "an empty name");
            return;
        }
        List<String> urns = new ArrayList<>();
        List<MetadataChangeProposalWrapper<?>> wrappers = new ArrayList<>(mapped.datasets());
        wrappers.addAll(mapped.templates());
        wrappers.addAll(mapped.instance());
        for (MetadataChangeProposalWrapper<?> proposal : wrappers) {
            urns.add(proposal.getEntityUrn());
            collect(proposal.getAspect().data(), urns);
        }
        for (MetadataChangeProposal patch : mapped.patches()) {
            urns.add(patch.getEntityUrn().toString());
            collect(JSON.readTree(patch.getAspect().getValue().asString(StandardCharsets.UTF_8)), urns);
        }
        assertThat(urns).allSatisfy(urn -> assertThat(GmsDouble.urnViolation(urn)).as(urn).isNull());
    }

    private static void collect(Object value, List<String> urns) {
        if (value instanceof String text && text.startsWith("urn:li:")) {
            urns.add(text);
        } else if (value instanceof DataMap map) {
            map.values().forEach(v -> collect(v, urns));
        } else if (value instanceof DataList list) {
            list.forEach(v -> collect(v, urns));
        }
    }

    /** A JSON patch: URNs in its values; its paths are paths. */
    private static void collect(JsonNode node, List<String> urns) {
        if (node.isTextual() && node.asText().startsWith("urn:li:")) {
            urns.add(node.asText());
        } else if (node.isContainerNode()) {
            node.fields().forEachRemaining(entry -> {
                if (!entry.getKey().equals("path")) {
                    collect(entry.getValue(), urns);
                }
            });
            if (node.isArray()) {
                node.forEach(element -> collect(element, urns));
            }
        }
    }

    private static OpenLineage.RunEvent event(String namespace, String job, String dataset, String field, String upstreamField,
                                              String tag, String owner) {
        OpenLineage ol = new OpenLineage(URI.create("https://github.com/OpenLineage/OpenLineage/tree/1.30.0/integration/spark"));
        OpenLineage.InputDataset input = ol.newInputDatasetBuilder().namespace("postgres://db:5432").name(dataset)
                .facets(ol.newDatasetFacetsBuilder().schema(ol.newSchemaDatasetFacetBuilder().fields(List.of(
                        ol.newSchemaDatasetFacetFieldsBuilder().name(upstreamField).type("string").build())).build()).build()).build();
        OpenLineage.OutputDataset output = ol.newOutputDatasetBuilder().namespace(namespace).name(dataset + "_out")
                .facets(ol.newDatasetFacetsBuilder()
                        .schema(ol.newSchemaDatasetFacetBuilder().fields(List.of(
                                ol.newSchemaDatasetFacetFieldsBuilder().name(field).type("string").build())).build())
                        .columnLineage(ol.newColumnLineageDatasetFacetBuilder().fields(ol.newColumnLineageDatasetFacetFieldsBuilder()
                                .put(field, ol.newColumnLineageDatasetFacetFieldsAdditionalBuilder().inputFields(List.of(
                                        ol.newInputFieldBuilder().namespace("postgres://db:5432").name(dataset).field(upstreamField).build()))
                                        .build()).build()).build())
                        .build()).build();
        return ol.newRunEventBuilder().eventType(OpenLineage.RunEvent.EventType.COMPLETE).eventTime(ZonedDateTime.now())
                .run(ol.newRunBuilder().runId(UUID.randomUUID()).build())
                .job(ol.newJobBuilder().namespace(namespace).name(job).facets(ol.newJobFacetsBuilder()
                        .ownership(ol.newOwnershipJobFacetBuilder().owners(List.of(
                                ol.newOwnershipJobFacetOwnersBuilder().name(owner).type("DATAOWNER").build())).build())
                        .tags(ol.newTagsJobFacetBuilder().tags(List.of(
                                ol.newTagsJobFacetFieldsBuilder().key(tag).value("v").source("USER").build())).build())
                        .build()).build())
                .inputs(List.of(input)).outputs(List.of(output)).build();
    }

    @Provide
    Arbitrary<String> names() {
        return UrnNames.hostile();
    }
}
