package dev.lineagehub.datahub.mapping;

import com.linkedin.common.FabricType;

/**
 * How OpenLineage names become DataHub URNs.
 *
 * @param orchestrator        fixed orchestrator for every flow; empty to detect it per event
 * @param defaultOrchestrator used when detection finds nothing, so an unknown producer never fails an event
 */
public record MappingOptions(FabricType env, String platformInstance, boolean lowercase, String orchestrator,
                             String defaultOrchestrator) {

    public static MappingOptions defaults() {
        return new MappingOptions(FabricType.PROD, "", false, "", "openlineage");
    }

    public boolean hasPlatformInstance() {
        return platformInstance != null && !platformInstance.isEmpty();
    }
}
