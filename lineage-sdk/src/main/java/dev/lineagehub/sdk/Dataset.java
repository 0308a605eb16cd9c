package dev.lineagehub.sdk;

import io.openlineage.client.OpenLineage;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A dataset a run reads or writes, named as OpenLineage names it: a namespace for where it lives
 * ({@code postgres://db:5432}, {@code s3://bucket}) and a name inside it ({@code shop.public.orders}).
 * Facets (schema, storage, version...) travel with it on the run's events.
 */
public record Dataset(String namespace, String name, Map<String, OpenLineage.DatasetFacet> facets) {

    /** @throws IllegalArgumentException when the namespace or the name is blank */
    public Dataset {
        if (namespace == null || namespace.isBlank()) {
            throw new IllegalArgumentException("a dataset needs a namespace (where it lives, e.g. s3://bucket), got " + namespace);
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a dataset needs a name inside " + namespace + ", got " + name);
        }
        facets = Map.copyOf(facets == null ? Map.of() : facets);
    }

    public static Dataset of(String namespace, String name) {
        return new Dataset(namespace, name, Map.of());
    }

    /** This dataset with one more facet (or that facet replaced). */
    public Dataset with(String facetName, OpenLineage.DatasetFacet facet) {
        Map<String, OpenLineage.DatasetFacet> more = new LinkedHashMap<>(facets);
        more.put(Objects.requireNonNull(facetName, "facetName"), Objects.requireNonNull(facet, "facet"));
        return new Dataset(namespace, name, more);
    }
}
