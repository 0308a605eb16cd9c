package dev.lineagehub.datahub.mapping;

import com.linkedin.mxe.MetadataChangeProposal;

import datahub.event.MetadataChangeProposalWrapper;

import java.util.ArrayList;
import java.util.List;

/**
 * The proposals for one OpenLineage event, in the order they must reach GMS: every dataset before
 * anything that references it, the DataFlow before its DataJob, and the job (with its lineage
 * patches, sent alongside) before the run.
 */
public record MappedEvent(List<MetadataChangeProposalWrapper<?>> datasets,
                          List<MetadataChangeProposalWrapper<?>> flows,
                          List<MetadataChangeProposalWrapper<?>> jobs,
                          List<MetadataChangeProposal> patches,
                          List<MetadataChangeProposalWrapper<?>> instance) {

    /** The DataFlow's and the DataJob's proposals, in that order. */
    public List<MetadataChangeProposalWrapper<?>> templates() {
        List<MetadataChangeProposalWrapper<?>> templates = new ArrayList<>(flows);
        templates.addAll(jobs);
        return templates;
    }
}
