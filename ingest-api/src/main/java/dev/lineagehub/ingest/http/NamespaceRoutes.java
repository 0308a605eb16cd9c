package dev.lineagehub.ingest.http;

import dev.lineagehub.ingest.audit.AuditLog;
import dev.lineagehub.ingest.auth.Access;
import dev.lineagehub.ingest.auth.ApiKeys;
import dev.lineagehub.ingest.auth.Caller;
import dev.lineagehub.ingest.namespaces.Namespace;
import dev.lineagehub.ingest.namespaces.NamespaceStore;

import com.fasterxml.jackson.databind.JsonNode;

import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Namespace management: the admin key creates, lists, changes, disables and deletes namespaces; a
 * namespace's own key may read it. A new API key is answered once, in clear, and stored only as a
 * hash. A body field no operation knows is refused (400, naming it), never ignored. Every action is
 * audited with its actor and what it did (key ids, never keys).
 */
final class NamespaceRoutes {

    private static final int MAX_NAME = 1024;
    private static final String ENDPOINT = "namespaces";
    private static final Set<String> QUOTA_FIELDS = Set.of("eventsPerSecond", "burst", "telemetryItemsPerSecond", "telemetryBurst");
    private static final Set<String> CREATE_FIELDS = Set.of("name", "owner", "description", "quota");
    private static final Set<String> UPDATE_FIELDS = Set.of("owner", "description", "quota", "newApiKey", "revokeKeyIds", "disabled");

    private final Access access;
    private final NamespaceStore namespaces;
    private final AuditLog audit;
    private final IngestMetrics metrics;

    NamespaceRoutes(Access access, NamespaceStore namespaces, AuditLog audit, IngestMetrics metrics) {
        this.access = access;
        this.namespaces = namespaces;
        this.audit = audit;
        this.metrics = metrics;
    }

    void mount(Router router) {
        router.post("/api/v1/namespaces").handler(this::create);
        router.get("/api/v1/namespaces").handler(this::list);
        router.get("/api/v1/namespaces/:namespace").handler(this::get);
        router.put("/api/v1/namespaces/:namespace").handler(this::update);
        router.delete("/api/v1/namespaces/:namespace").handler(this::delete);
    }

    private void create(RoutingContext ctx) {
        if (!admin(ctx, "CREATE")) {
            return;
        }
        JsonNode body = body(ctx, CREATE_FIELDS, "CREATE");
        if (body == null) {
            return;
        }
        String name = body.path("name").asText("");
        String owner = body.path("owner").asText("");
        if (name.isBlank() || name.length() > MAX_NAME || owner.isBlank()) {
            refuse(ctx, name, "CREATE", 422, "a namespace needs a name (at most " + MAX_NAME + " characters) and an owner");
            return;
        }
        if (namespaces.get(name).isPresent()) {
            refuse(ctx, name, "CREATE", 409, "namespace " + name + " exists; change it with PUT /api/v1/namespaces/{namespace}");
            return;
        }
        Instant now = Instant.now();
        String key = ApiKeys.generate();
        Namespace namespace = new Namespace(name, owner, body.path("description").asText(""),
                List.of(keyOf(key, now)), quota(body), now, now, false);
        save(ctx, namespace, 201, key, "CREATE", "created, owner " + owner + ", key " + ApiKeys.id(key).orElseThrow());
    }

    private void list(RoutingContext ctx) {
        if (!admin(ctx, "LIST")) {
            return;
        }
        List<Namespace.View> views = new ArrayList<>(namespaces.all().stream().map(Namespace::view).toList());
        views.sort(Comparator.comparing(Namespace.View::name));
        answer(ctx, 200, Map.of("namespaces", views));
    }

    private void get(RoutingContext ctx) {
        String name = ctx.pathParam("namespace");
        String authorization = ctx.request().getHeader("Authorization");
        boolean own = access.authenticate(authorization).filter(caller -> caller.kind() == Caller.Kind.KEY
                && caller.namespace().equals(name)).isPresent();
        if (!own && !access.isAdmin(authorization)) {
            metrics.request(ENDPOINT, 401);
            Responses.unauthorized(ctx);
            return;
        }
        Optional<Namespace> namespace = namespaces.get(name);
        if (namespace.isEmpty()) {
            answerError(ctx, 404, "no namespace " + name);
            return;
        }
        answer(ctx, 200, namespace.get().view());
    }

    /**
     * Changes owner, description or quota; {@code "newApiKey": true} adds a key, {@code "revokeKeyIds"}
     * removes some, {@code "disabled"} disables or enables the namespace.
     */
    private void update(RoutingContext ctx) {
        Optional<Namespace> current = existing(ctx, "UPDATE");
        if (current.isEmpty()) {
            return;
        }
        String name = current.get().name();
        JsonNode body = body(ctx, UPDATE_FIELDS, "UPDATE");
        if (body == null) {
            return;
        }
        if (body.has("disabled") && !body.get("disabled").isBoolean()) {
            refuse(ctx, name, "UPDATE", 422, "disabled must be true or false");
            return;
        }
        Namespace was = current.get();
        Instant now = Instant.now();
        List<String> done = new ArrayList<>();
        List<Namespace.Key> keys = new ArrayList<>(was.keys());
        body.path("revokeKeyIds").forEach(id -> {
            if (keys.removeIf(key -> key.id().equals(id.asText()))) {
                done.add("key " + id.asText() + " revoked");
            }
        });
        String newKey = body.path("newApiKey").asBoolean(false) ? ApiKeys.generate() : null;
        if (newKey != null) {
            keys.add(keyOf(newKey, now));
            done.add("key " + ApiKeys.id(newKey).orElseThrow() + " added");
        }
        boolean disabled = body.path("disabled").asBoolean(was.disabled());
        if (disabled != was.disabled()) {
            done.add(disabled ? "disabled" : "enabled");
        }
        Namespace changed = new Namespace(was.name(), body.path("owner").asText(was.owner()),
                body.path("description").asText(was.description()), keys, body.has("quota") ? quota(body) : was.quota(),
                was.createdAt(), now, disabled);
        if (!changed.owner().equals(was.owner())) {
            done.add("owner " + was.owner() + " -> " + changed.owner());
        }
        if (!java.util.Objects.equals(changed.quota(), was.quota())) {
            done.add("quota " + changed.quota());
        }
        save(ctx, changed, 200, newKey, "UPDATE", done.isEmpty() ? "unchanged" : String.join(", ", done));
    }

    /** Removes the namespace from the compacted topic: its keys stop authenticating on every replica as it is read. */
    private void delete(RoutingContext ctx) {
        Optional<Namespace> current = existing(ctx, "DELETE");
        if (current.isEmpty()) {
            return;
        }
        String name = current.get().name();
        List<String> keyIds = current.get().keys().stream().map(Namespace.Key::id).toList();
        saved(ctx, namespaces.delete(name), name, "DELETE", 204, "deleted, keys " + keyIds + " revoked", () -> {
            metrics.request(ENDPOINT, 204);
            ctx.response().setStatusCode(204).end();
        });
    }

    /** The path's namespace, for the admin key; empty once the request is refused (401, or 404 when there is none). */
    private Optional<Namespace> existing(RoutingContext ctx, String action) {
        String name = ctx.pathParam("namespace");
        if (!admin(ctx, action)) {
            return Optional.empty();
        }
        Optional<Namespace> current = namespaces.get(name);
        if (current.isEmpty()) {
            refuse(ctx, name, action, 404, "no namespace " + name);
        }
        return current;
    }

    private void save(RoutingContext ctx, Namespace namespace, int status, String newKey, String action, String what) {
        Namespace.Quota quota = namespace.quota();
        if (quota != null && (quota.eventsPerSecond() != null && !(quota.eventsPerSecond() > 0)
                || quota.burst() != null && quota.burst() < 1
                || quota.telemetryItemsPerSecond() != null && !(quota.telemetryItemsPerSecond() > 0)
                || quota.telemetryBurst() != null && quota.telemetryBurst() < 1)) {
            refuse(ctx, namespace.name(), action, 422, "quota.eventsPerSecond and quota.telemetryItemsPerSecond must be above 0, "
                    + "quota.burst and quota.telemetryBurst at least 1");
            return;
        }
        saved(ctx, namespaces.put(namespace), namespace.name(), action, status, what, () -> {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("namespace", namespace.view());
            if (newKey != null) {
                answer.put("apiKey", newKey);
            }
            answer(ctx, status, answer);
        });
    }

    /** Answers once the change is read back (audited as done), or 503 when Kafka cannot take it. */
    private void saved(RoutingContext ctx, CompletableFuture<?> change, String namespace, String action, int status, String what,
                       Runnable answer) {
        Future.fromCompletionStage(change, ctx.vertx().getOrCreateContext()).onComplete(saved -> {
            if (saved.failed()) {
                ctx.response().putHeader("Retry-After", "5");
                refuse(ctx, namespace, action, 503, "Kafka cannot take the change now: " + saved.cause().getMessage());
                return;
            }
            audit.record(Caller.ADMIN, ENDPOINT, namespace, "", action, status, what);
            answer.run();
        });
    }

    private boolean admin(RoutingContext ctx, String action) {
        if (access.isAdmin(ctx.request().getHeader("Authorization"))) {
            return true;
        }
        Caller caller = access.authenticate(ctx.request().getHeader("Authorization")).orElse(Caller.ANONYMOUS);
        audit.record(caller, ENDPOINT, ctx.pathParam("namespace") == null ? "" : ctx.pathParam("namespace"), "", action, 401,
                "not the admin key");
        metrics.request(ENDPOINT, 401);
        Responses.unauthorized(ctx);
        return false;
    }

    /** The body as a JSON object with only the given fields (and only the quota's inside "quota"), or null once refused. */
    private JsonNode body(RoutingContext ctx, Set<String> fields, String action) {
        String namespace = ctx.pathParam("namespace") == null ? "" : ctx.pathParam("namespace");
        JsonNode body;
        try {
            body = Responses.JSON.readTree(ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes());
        } catch (IOException e) {
            body = null;
        }
        if (body == null || !body.isObject()) {
            refuse(ctx, namespace, action, 400, "the body must be a JSON object");
            return null;
        }
        List<String> unknown = new ArrayList<>();
        body.fieldNames().forEachRemaining(field -> {
            if (!fields.contains(field)) {
                unknown.add(field);
            }
        });
        if (body.path("quota").isObject()) {
            body.path("quota").fieldNames().forEachRemaining(field -> {
                if (!QUOTA_FIELDS.contains(field)) {
                    unknown.add("quota." + field);
                }
            });
        }
        if (!unknown.isEmpty()) {
            refuse(ctx, namespace, action, 400, "unknown field(s) " + unknown + "; this operation takes " + new java.util.TreeSet<>(fields)
                    + (fields.contains("quota") ? ", quota with " + new java.util.TreeSet<>(QUOTA_FIELDS) : ""));
            return null;
        }
        return body;
    }

    private static Namespace.Key keyOf(String key, Instant now) {
        return new Namespace.Key(ApiKeys.id(key).orElseThrow(), ApiKeys.hash(key), now);
    }

    private static Namespace.Quota quota(JsonNode body) {
        JsonNode quota = body.path("quota");
        if (!quota.isObject()) {
            return null;
        }
        return new Namespace.Quota(quota.hasNonNull("eventsPerSecond") ? quota.get("eventsPerSecond").asDouble() : null,
                quota.hasNonNull("burst") ? quota.get("burst").asInt() : null,
                quota.hasNonNull("telemetryItemsPerSecond") ? quota.get("telemetryItemsPerSecond").asDouble() : null,
                quota.hasNonNull("telemetryBurst") ? quota.get("telemetryBurst").asInt() : null);
    }

    private void answer(RoutingContext ctx, int status, Object body) {
        metrics.request(ENDPOINT, status);
        Responses.json(ctx, status, body);
    }

    private void answerError(RoutingContext ctx, int status, String message) {
        metrics.request(ENDPOINT, status);
        Responses.error(ctx, status, message);
    }

    /** An admin action refused: counted, audited, answered. */
    private void refuse(RoutingContext ctx, String namespace, String action, int status, String message) {
        audit.record(Caller.ADMIN, ENDPOINT, namespace, "", action, status, message);
        answerError(ctx, status, message);
    }
}
