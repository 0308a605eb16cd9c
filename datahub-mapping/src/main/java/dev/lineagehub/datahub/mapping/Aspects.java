package dev.lineagehub.datahub.mapping;

import com.linkedin.common.urn.Urn;
import com.linkedin.data.template.RecordTemplate;

import datahub.event.MetadataChangeProposalWrapper;

import java.util.List;
import java.util.Map;

/** What the mappers share: the actor DataHub's converter stamps, an upsert proposal, and null-safe reading of facets. */
final class Aspects {

    static final Urn ACTOR = Urn.createFromTuple("corpuser", "datahub");

    private Aspects() {
    }

    static MetadataChangeProposalWrapper<?> upsert(String entityType, Urn urn, RecordTemplate aspect) {
        return MetadataChangeProposalWrapper.builder().entityType(entityType).entityUrn(urn).upsert().aspect(aspect).build();
    }

    static void putIfPresent(Map<String, String> properties, String key, String value) {
        if (notBlank(value)) {
            properties.put(key, value);
        }
    }

    static boolean notBlank(String value) {
        return value != null && !value.isBlank();
    }

    static <T> List<T> nullSafe(List<T> list) {
        return list == null ? List.of() : list;
    }
}
