package dev.lineagehub.ingest.namespaces;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A namespace as the hub manages it: who owns it, what it is, the API keys that write as it (hashes
 * only), and its quota when it has its own. Owners matter for isolation: a key may write events whose
 * namespaces all belong to its namespace's owner. A disabled namespace keeps its keys, but nothing
 * may be written to it, by its keys or naming it, until it is enabled again.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Namespace(String name, String owner, String description, List<Key> keys, Quota quota,
                        Instant createdAt, Instant updatedAt, boolean disabled) {

    /** One API key: its public id and the SHA-256 of the whole key. */
    public record Key(String id, String sha256, Instant createdAt) {
    }

    /** Events per second and burst, telemetry items per second and burst; null fields fall back to the API's defaults. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Quota(Double eventsPerSecond, Integer burst, Double telemetryItemsPerSecond, Integer telemetryBurst) {
    }

    public Namespace {
        keys = keys == null ? List.of() : List.copyOf(keys);
        description = description == null ? "" : description;
    }

    public Namespace withKey(Key key, Instant now) {
        List<Key> more = new ArrayList<>(keys);
        more.add(key);
        return new Namespace(name, owner, description, more, quota, createdAt, now, disabled);
    }

    /** What GET shows: everything but the key hashes. */
    public View view() {
        return new View(name, owner, description, keys.stream().map(Key::id).toList(), quota, createdAt, updatedAt, disabled);
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record View(String name, String owner, String description, List<String> keyIds, Quota quota,
                       Instant createdAt, Instant updatedAt, boolean disabled) {
    }
}
