package dev.lineagehub.ingest.http;

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

/**
 * Namespace management: the admin key creates, lists and changes namespaces; a namespace's own key may
 * read it. A new API key is answered once, in clear, and stored only as a hash.
 */
final class NamespaceRoutes {

    private static final int MAX_NAME = 1024;

    private final Access access;
    private final NamespaceStore namespaces;
    private final IngestMetrics metrics;

    NamespaceRoutes(Access access, NamespaceStore namespaces, IngestMetrics metrics) {
        this.access = access;
        this.namespaces = namespaces;
        this.metrics = metrics;
    }

    void mount(Router router) {
        router.post("/api/v1/namespaces").handler(this::create);
        router.get("/api/v1/namespaces").handler(this::list);
        router.get("/api/v1/namespaces/:namespace").handler(this::get);
        router.put("/api/v1/namespaces/:namespace").handler(this::update);
    }

    private void create(RoutingContext ctx) {
        if (!admin(ctx)) {
            return;
        }
        JsonNode body = body(ctx);
        if (body == null) {
            return;
        }
        String name = body.path("name").asText("");
        String owner = body.path("owner").asText("");
        if (name.isBlank() || name.length() > MAX_NAME || owner.isBlank()) {
            answerError(ctx, 422, "a namespace needs a name (at most " + MAX_NAME + " characters) and an owner");
            return;
        }
        if (namespaces.get(name).isPresent()) {
            answerError(ctx, 409, "namespace " + name + " exists; change it with PUT /api/v1/namespaces/{namespace}");
            return;
        }
        Instant now = Instant.now();
        String key = ApiKeys.generate();
        Namespace namespace = new Namespace(name, owner, body.path("description").asText(""),
                List.of(keyOf(key, now)), quota(body), now, now);
        save(ctx, namespace, 201, key);
    }

    private void list(RoutingContext ctx) {
        if (!admin(ctx)) {
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
            metrics.request("namespaces", 401);
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

    /** Changes owner, description or quota; {@code "newApiKey": true} adds a key, {@code "revokeKeyIds"} removes some. */
    private void update(RoutingContext ctx) {
        if (!admin(ctx)) {
            return;
        }
        Optional<Namespace> current = namespaces.get(ctx.pathParam("namespace"));
        if (current.isEmpty()) {
            answerError(ctx, 404, "no namespace " + ctx.pathParam("namespace"));
            return;
        }
        JsonNode body = body(ctx);
        if (body == null) {
            return;
        }
        Namespace was = current.get();
        Instant now = Instant.now();
        List<Namespace.Key> keys = new ArrayList<>(was.keys());
        body.path("revokeKeyIds").forEach(id -> keys.removeIf(key -> key.id().equals(id.asText())));
        String newKey = body.path("newApiKey").asBoolean(false) ? ApiKeys.generate() : null;
        if (newKey != null) {
            keys.add(keyOf(newKey, now));
        }
        Namespace changed = new Namespace(was.name(), body.path("owner").asText(was.owner()),
                body.path("description").asText(was.description()), keys, body.has("quota") ? quota(body) : was.quota(),
                was.createdAt(), now);
        save(ctx, changed, 200, newKey);
    }

    private void save(RoutingContext ctx, Namespace namespace, int status, String newKey) {
        Namespace.Quota quota = namespace.quota();
        if (quota != null && (quota.eventsPerSecond() != null && !(quota.eventsPerSecond() > 0)
                || quota.burst() != null && quota.burst() < 1
                || quota.telemetryItemsPerSecond() != null && !(quota.telemetryItemsPerSecond() > 0)
                || quota.telemetryBurst() != null && quota.telemetryBurst() < 1)) {
            answerError(ctx, 422, "quota.eventsPerSecond and quota.telemetryItemsPerSecond must be above 0, "
                    + "quota.burst and quota.telemetryBurst at least 1");
            return;
        }
        Future.fromCompletionStage(namespaces.put(namespace), ctx.vertx().getOrCreateContext()).onComplete(saved -> {
            if (saved.failed()) {
                ctx.response().putHeader("Retry-After", "5");
                answerError(ctx, 503, "Kafka cannot take the change now: " + saved.cause().getMessage());
                return;
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("namespace", namespace.view());
            if (newKey != null) {
                answer.put("apiKey", newKey);
            }
            answer(ctx, status, answer);
        });
    }

    private boolean admin(RoutingContext ctx) {
        if (access.isAdmin(ctx.request().getHeader("Authorization"))) {
            return true;
        }
        metrics.request("namespaces", 401);
        Responses.unauthorized(ctx);
        return false;
    }

    private JsonNode body(RoutingContext ctx) {
        try {
            JsonNode body = Responses.JSON.readTree(ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes());
            if (body != null && body.isObject()) {
                return body;
            }
        } catch (IOException e) {
            // answered below
        }
        answerError(ctx, 400, "the body must be a JSON object");
        return null;
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
        metrics.request("namespaces", status);
        Responses.json(ctx, status, body);
    }

    private void answerError(RoutingContext ctx, int status, String message) {
        metrics.request("namespaces", status);
        Responses.error(ctx, status, message);
    }
}
