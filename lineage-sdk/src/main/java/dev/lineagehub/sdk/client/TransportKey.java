package dev.lineagehub.sdk.client;

import io.openlineage.client.OpenLineage;

/**
 * The record key the OpenLineage Kafka transport gives a run event: its root job, else its parent
 * job, else its own job, as {@code run:namespace/name}. A parent run and its children then share a
 * partition, which is the order the hub's consumers keep (the hub's own parser applies the same rule
 * to events that arrive over HTTP; the integration test checks the two agree).
 */
public final class TransportKey {

    private TransportKey() {
    }

    public static String of(OpenLineage.RunEvent event) {
        OpenLineage.RunFacets facets = event.getRun().getFacets();
        OpenLineage.ParentRunFacet parent = facets == null ? null : facets.getParent();
        if (parent != null && parent.getRoot() != null && parent.getRoot().getJob() != null) {
            return "run:" + parent.getRoot().getJob().getNamespace() + '/' + parent.getRoot().getJob().getName();
        }
        if (parent != null && parent.getJob() != null) {
            return "run:" + parent.getJob().getNamespace() + '/' + parent.getJob().getName();
        }
        return "run:" + event.getJob().getNamespace() + '/' + event.getJob().getName();
    }
}
