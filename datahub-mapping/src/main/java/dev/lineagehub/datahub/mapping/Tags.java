package dev.lineagehub.datahub.mapping;

import com.linkedin.common.urn.TagUrn;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * OpenLineage tags facets as DataHub tag URNs: {@code key:value} (the key alone when there is no
 * value), so that {@code environment=production} and {@code environment=staging} stay two tags.
 * Names are encoded as every URN part is ({@link UrnParts}); a tag DataHub cannot hold even so (a URN over its length
 * limit) is left out rather than failing the event:
 * a tag is decoration, the lineage around it is not.
 */
final class Tags {

    private Tags() {
    }

    /** The tags of any of OpenLineage's tags facets (job, run, dataset), deduplicated, in a stable order. */
    @SafeVarargs
    static <T> Set<TagUrn> of(Function<T, String> key, Function<T, String> value, Collection<T>... facets) {
        Set<TagUrn> tags = new TreeSet<>(java.util.Comparator.comparing(TagUrn::toString));
        for (Collection<T> facet : facets) {
            for (T tag : facet == null ? List.<T>of() : facet) {
                String name = name(key.apply(tag), value.apply(tag));
                TagUrn urn = name == null ? null : new TagUrn(UrnParts.encode(name));
                if (urn != null && UrnParts.valid(urn)) {
                    tags.add(urn);
                }
            }
        }
        return tags;
    }

    private static String name(String key, String value) {
        boolean hasKey = key != null && !key.isBlank();
        boolean hasValue = value != null && !value.isBlank();
        if (hasKey && hasValue) {
            return key.strip() + ':' + value.strip();
        }
        return hasKey ? key.strip() : hasValue ? value.strip() : null;
    }
}
