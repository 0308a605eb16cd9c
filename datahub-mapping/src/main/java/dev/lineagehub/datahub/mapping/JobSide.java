package dev.lineagehub.datahub.mapping;

import io.openlineage.client.OpenLineage;

import java.net.URI;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * What a run event and a job event say about the job: the job, who produced it and when, run facets
 * (none for a job event), datasets.
 */
record JobSide(OpenLineage.Job job, URI producer, ZonedDateTime eventTime, OpenLineage.RunFacets runFacets,
               List<OpenLineage.InputDataset> inputs, List<OpenLineage.OutputDataset> outputs) {
}

