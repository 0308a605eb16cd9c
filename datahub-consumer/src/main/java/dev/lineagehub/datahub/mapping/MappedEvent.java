package dev.lineagehub.datahub.mapping;

import datahub.event.MetadataChangeProposalWrapper;

import java.util.List;

/**
 * The proposals for one OpenLineage event, in the order they must reach GMS: every dataset before
 * the templates and the run that reference it, the templates before the run.
 */
public record MappedEvent(List<MetadataChangeProposalWrapper<?>> datasets,
                          List<MetadataChangeProposalWrapper<?>> templates,
                          List<MetadataChangeProposalWrapper<?>> instance) {
}
