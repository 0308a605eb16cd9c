package dev.lineagehub.protocol;

import io.openlineage.client.OpenLineage;

import java.nio.charset.StandardCharsets;

/**
 * The Kafka record key the OpenLineage Kafka transport gives an event, so that whatever else publishes events (the
 * ingest API, the SDK's Kafka transport) keeps the order the transport keeps: a run event is keyed by its root parent
 * job (else its parent job, else its own job), so a parent run and its children share a partition; a job event by
 * its job, a dataset event by its dataset.
 */
public final class TransportKey {

    private TransportKey() {
    }

    public static String of(OpenLineage.RunEvent event) {
        OpenLineage.ParentRunFacet parent = event.getRun() == null || event.getRun().getFacets() == null
                ? null : event.getRun().getFacets().getParent();
        OpenLineage.ParentRunFacetJob parentJob = parent == null ? null : parent.getJob();
        OpenLineage.RootJob rootJob = parent == null || parent.getRoot() == null ? null : parent.getRoot().getJob();
        return run(event.getJob().getNamespace(), event.getJob().getName(),
                parentJob == null ? null : parentJob.getNamespace(), parentJob == null ? null : parentJob.getName(),
                rootJob == null ? null : rootJob.getNamespace(), rootJob == null ? null : rootJob.getName());
    }

    public static String of(OpenLineage.JobEvent event) {
        return job(event.getJob().getNamespace(), event.getJob().getName());
    }

    public static String of(OpenLineage.DatasetEvent event) {
        return dataset(event.getDataset().getNamespace(), event.getDataset().getName());
    }

    /** A run event's key from its job, its parent's job and its root's job (either null when the facet has none). */
    public static String run(String namespace, String name, String parentNamespace, String parentName, String rootNamespace,
                             String rootName) {
        if (rootNamespace != null && rootName != null) {
            return "run:" + rootNamespace + '/' + rootName;
        }
        if (parentNamespace != null && parentName != null) {
            return "run:" + parentNamespace + '/' + parentName;
        }
        return "run:" + namespace + '/' + name;
    }

    public static String job(String namespace, String name) {
        return "job:" + namespace + '/' + name;
    }

    public static String dataset(String namespace, String name) {
        return "dataset:" + namespace + '/' + name;
    }

    /** The record key of a run event as the bytes a producer writes. */
    public static byte[] bytesOf(OpenLineage.RunEvent event) {
        return bytes(of(event));
    }

    public static byte[] bytes(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }
}
