package dev.lineagehub.sdk.client;

import java.util.Map;

/**
 * What {@code GET /api/v1/health} of ingest-api reports: its status ({@code UP}, {@code DOWN},
 * {@code DRAINING}) and each dependency's ({@code kafka}, {@code namespaces}, ...).
 */
public record HubHealth(String status, Map<String, String> dependencies) {

    public HubHealth {
        dependencies = Map.copyOf(dependencies);
    }

    public boolean up() {
        return "UP".equals(status);
    }
}
