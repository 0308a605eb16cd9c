package dev.lineagehub.runtime;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The settings' names before 0.2.0, read for one more release. They shared words with the systems around them
 * ({@code MARQUEZ_ADMIN_PORT} is Marquez's own, {@code CLICKHOUSE_USER} the clickhouse-server image's,
 * {@code DATAHUB_GMS_URL} DataHub's tools'); every lineage-hub setting now starts with {@code LINEAGEHUB_} and its
 * component. An old name still sets its new one when the new one is unset, with one warning naming both.
 */
public final class LegacyNames {

    /** New prefix to the prefix it replaces: the one table of renames, gone with the old names. */
    private static final Map<String, String> RENAMED = Map.of(
            "LINEAGEHUB_LINEAGE_", "MARQUEZ_",
            "LINEAGEHUB_DATAHUB_", "DATAHUB_",
            "LINEAGEHUB_OTEL_", "CLICKHOUSE_",
            "LINEAGEHUB_INGEST_", "INGEST_",
            "LINEAGEHUB_REPLAY_", "REPLAY_");

    private LegacyNames() {
    }

    /**
     * The environment with each old name of this prefix's settings copied to its new name, where the new one is not
     * set; {@code warn} gets one line naming every old name read and the new one to use, or nothing when none was.
     */
    public static Map<String, String> applied(String prefix, Map<String, String> env, Consumer<String> warn) {
        String legacy = RENAMED.get(prefix);
        if (legacy == null) {
            return env;
        }
        Map<String, String> effective = new LinkedHashMap<>(env);
        Map<String, String> read = new TreeMap<>();
        List<String> ignored = new java.util.ArrayList<>();
        env.forEach((name, value) -> {
            if (name.startsWith(legacy)) {
                String renamed = prefix + name.substring(legacy.length());
                if (env.containsKey(renamed)) {
                    ignored.add(name);
                } else {
                    effective.put(renamed, value);
                    read.put(name, renamed);
                }
            }
        });
        if (!read.isEmpty() || !ignored.isEmpty()) {
            StringBuilder line = new StringBuilder("Deprecated setting names, read for this release only: ");
            read.forEach((old, renamed) -> line.append(old).append(" -> ").append(renamed).append("; "));
            if (!ignored.isEmpty()) {
                line.append("ignored as their new names are set: ").append(String.join(", ", ignored)).append("; ");
            }
            warn.accept(line.append("rename them (CHANGELOG.md, 0.2.0)").toString());
        }
        return effective;
    }
}
