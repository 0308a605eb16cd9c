package dev.lineagehub.openlineage;

import io.openlineage.client.OpenLineage;

import java.nio.charset.StandardCharsets;

/**
 * The Kafka record key the OpenLineage Kafka transport gives an event, so that whatever else
 * publishes events (the ingest API, the SDK) keeps the order the transport keeps: a run event is keyed
 * by its root parent job (else its parent job, else its own job), so a parent run and its children
 * share a partition; a job event by its job, a dataset event by its dataset.
 */
public final class TransportKey {

    private TransportKey() {
    }

    public static String of(OpenLineage.RunEvent event) {
        OpenLineage.ParentRunFacet parent = event.getRun() == null || event.getRun().getFacets() == null
                ? null : event.getRun().getFacets().getParent();
        OpenLineage.Job job = event.getJob();
        String namespace = job.getNamespace();
        String name = job.getName();
        if (parent != null && parent.getRoot() != null && parent.getRoot().getJob() != null) {
            namespace = parent.getRoot().getJob().getNamespace();
            name = parent.getRoot().getJob().getName();
        } else if (parent != null && parent.getJob() != null) {
            namespace = parent.getJob().getNamespace();
            name = parent.getJob().getName();
        }
        return "run:" + namespace + '/' + name;
    }

    public static String of(OpenLineage.JobEvent event) {
        return "job:" + event.getJob().getNamespace() + '/' + event.getJob().getName();
    }

    public static String of(OpenLineage.DatasetEvent event) {
        return "dataset:" + event.getDataset().getNamespace() + '/' + event.getDataset().getName();
    }

    public static byte[] bytes(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }
}
