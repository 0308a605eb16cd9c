package dev.lineagehub.ingest.http;

import dev.lineagehub.ingest.audit.AuditLog;
import dev.lineagehub.ingest.auth.Access;
import dev.lineagehub.ingest.auth.Caller;
import dev.lineagehub.ingest.lineage.LineageRequest;
import dev.lineagehub.ingest.namespaces.Namespace;
import dev.lineagehub.ingest.namespaces.NamespaceStore;
import dev.lineagehub.ingest.publish.KafkaPublisher;
import dev.lineagehub.ingest.quota.Admission;
import dev.lineagehub.ingest.quota.Quotas;
import dev.lineagehub.openlineage.InvalidEventException;
import dev.lineagehub.openlineage.OpenLineageEvent;
import dev.lineagehub.protocol.TransportKey;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /api/v1/lineage} (and {@code /api/v1/lineage/ingest}): Marquez's contract, so an
 * OpenLineage client's HTTP transport works unchanged. In order: the key (401), the events (400 for
 * what is not JSON, 422 for what is not an OpenLineage event, naming the field), the namespaces (403),
 * the quota (429; 413 for a batch above the key's burst, which no wait admits), then Kafka: 201 once
 * every event of the request is acknowledged, 503 with Retry-After when Kafka cannot take them.
 * Bodies over 64 KB are parsed on a worker thread, never on the event loop.
 */
final class LineageRoute {

    static final int INLINE_PARSE_BYTES = 64 * 1024;

    private final Access access;
    private final NamespaceStore namespaces;
    private final Quotas quotas;
    private final KafkaPublisher publisher;
    private final AuditLog audit;
    private final IngestMetrics metrics;
    private final String topic;
    private final Duration retryAfter;

    LineageRoute(Access access, NamespaceStore namespaces, Quotas quotas, KafkaPublisher publisher, AuditLog audit,
                 IngestMetrics metrics, String topic, Duration retryAfter) {
        this.access = access;
        this.namespaces = namespaces;
        this.quotas = quotas;
        this.publisher = publisher;
        this.audit = audit;
        this.metrics = metrics;
        this.topic = topic;
        this.retryAfter = retryAfter;
    }

    void handle(RoutingContext ctx) {
        long start = System.nanoTime();
        Caller caller = access.authenticate(ctx.request().getHeader("Authorization")).orElse(null);
        if (caller == null) {
            refuse(ctx, Caller.ANONYMOUS, List.of(), 401, "bad key");
            Responses.unauthorized(ctx);
            return;
        }
        Optional<String> disabled = access.disabledNamespaceOf(caller);
        if (disabled.isPresent()) {
            refuse(ctx, caller, List.of(), 403, "namespace disabled");
            Responses.error(ctx, 403, Responses.disabled(disabled.get()));
            return;
        }
        byte[] body = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
        parse(ctx, body).onComplete(parsed -> {
            if (parsed.failed()) {
                invalid(ctx, caller, parsed.cause());
                return;
            }
            List<OpenLineageEvent> events = parsed.result();
            Set<String> named = new LinkedHashSet<>();
            events.forEach(event -> named.addAll(event.namespaces()));
            Access.Decision decision = access.authorize(caller, named);
            if (!decision.forbidden().isEmpty()) {
                refuse(ctx, caller, events, 403, "namespace not owned");
                Responses.error(ctx, 403, "this key may not write to namespace(s) " + decision.forbidden(), decision.forbidden());
                return;
            }
            if (!decision.disabled().isEmpty()) {
                refuse(ctx, caller, events, 403, "namespace disabled");
                Responses.error(ctx, 403, "namespace(s) " + decision.disabled() + " are disabled: nothing is written to them until "
                        + "they are enabled again", decision.disabled());
                return;
            }
            Admission admission = caller.kind() != Caller.Kind.KEY ? Admission.ADMITTED : quotas.take(caller.keyId(),
                    namespaces.get(caller.namespace()).map(Namespace::quota).orElse(null), Quotas.Measure.EVENTS, events.size());
            if (admission instanceof Admission.Later later) {
                refuse(ctx, caller, events, 429, "over quota");
                Responses.retryLater(ctx, 429, later.after(), "over this key's quota of events per second");
                return;
            }
            if (admission instanceof Admission.TooLarge tooLarge) {
                refuse(ctx, caller, events, 413, "above burst");
                Responses.error(ctx, 413, tooLarge.message());
                return;
            }
            // Each event's Kafka key, built once: for the size check of all, then for the publish of each.
            List<byte[]> keys = events.stream().map(event -> TransportKey.bytes(event.transportKey())).toList();
            String tooLarge = tooLarge(events, keys);
            if (tooLarge != null) {
                refuse(ctx, caller, events, 413, "event too large");
                Responses.error(ctx, 413, tooLarge);
                return;
            }
            Future.fromCompletionStage(createNamespaces(decision).thenCompose(ignored -> publish(events, keys)), ctx.vertx().getOrCreateContext())
                    .onComplete(published -> {
                        if (published.succeeded()) {
                            metrics.request("lineage", 201);
                            metrics.published(topic, events.size());
                            metrics.publishTime(Duration.ofNanos(System.nanoTime() - start));
                            events.forEach(event -> audit(caller, event, 201, "accepted"));
                            ctx.response().setStatusCode(201).end();
                        } else {
                            var failure = Responses.PublishFailure.of(published.cause(),
                                    "Kafka cannot take the write now; nothing was accepted, retry");
                            refuse(ctx, caller, events, failure.status(), failure.outcome());
                            if (failure.retryable()) {
                                Responses.retryLater(ctx, failure.status(), retryAfter, failure.message());
                            } else {
                                Responses.error(ctx, failure.status(), failure.message());
                            }
                        }
                    });
        });
    }

    /**
     * A single event (a few KB) parses in tens of microseconds, less than handing it to a worker and
     * back costs, so it is parsed on the event loop; a body above {@link #INLINE_PARSE_BYTES} (a large
     * event or a batch, up to the size limit) could hold the loop for milliseconds and goes to a worker.
     */
    private static Future<List<OpenLineageEvent>> parse(RoutingContext ctx, byte[] body) {
        if (body.length > INLINE_PARSE_BYTES) {
            return ctx.vertx().executeBlocking(() -> LineageRequest.parse(body), false);
        }
        try {
            return Future.succeededFuture(LineageRequest.parse(body));
        } catch (RuntimeException invalid) {
            return Future.failedFuture(invalid);
        }
    }

    private void invalid(RoutingContext ctx, Caller caller, Throwable cause) {
        if (cause instanceof InvalidEventException invalid) {
            boolean syntax = invalid.reason() == InvalidEventException.Reason.NOT_JSON || invalid.reason() == InvalidEventException.Reason.TOO_DEEP;
            int status = syntax ? 400 : 422;
            refuse(ctx, caller, List.of(), status, invalid.reasonCode());
            Responses.error(ctx, status, invalid.getMessage(), List.of(invalid.getMessage()));
        } else {
            refuse(ctx, caller, List.of(), 500, "internal error");
            Responses.error(ctx, 500, "could not read the request: " + cause.getMessage());
        }
    }

    /** Why an event of the request cannot be a Kafka record, or null: checked for all before any is published. */
    private String tooLarge(List<OpenLineageEvent> events, List<byte[]> keys) {
        for (int i = 0; i < events.size(); i++) {
            OpenLineageEvent event = events.get(i);
            byte[] key = keys.get(i);
            if (!publisher.limit().fits(key, event.bytes())) {
                return publisher.limit().tooLarge((events.size() == 1 ? "the event" : "event " + i + " of the batch")
                        + event.runId().map(run -> " (run " + run + ")").orElse(""), event.bytes().length, key.length);
            }
        }
        return null;
    }

    private CompletableFuture<Void> createNamespaces(Access.Decision decision) {
        if (decision.toCreate().isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        Instant now = Instant.now();
        return CompletableFuture.allOf(decision.toCreate().stream()
                .map(name -> namespaces.put(new Namespace(name, decision.owner(), "created on first write", List.of(), null, now, now, false)))
                .toArray(CompletableFuture[]::new));
    }

    private CompletableFuture<?> publish(List<OpenLineageEvent> events, List<byte[]> keys) {
        if (events.size() == 1) { // the usual request: no combined future around the one acknowledgement
            return publisher.publish(topic, keys.get(0), events.get(0).bytes());
        }
        CompletableFuture<?>[] published = new CompletableFuture<?>[events.size()];
        for (int i = 0; i < published.length; i++) {
            published[i] = publisher.publish(topic, keys.get(i), events.get(i).bytes());
        }
        return CompletableFuture.allOf(published);
    }

    private void refuse(RoutingContext ctx, Caller caller, List<OpenLineageEvent> events, int status, String outcome) {
        metrics.request("lineage", status);
        if (events.isEmpty()) {
            audit.record(caller, "lineage", "", "", "", status, outcome);
        }
        events.forEach(event -> audit(caller, event, status, outcome));
    }

    private void audit(Caller caller, OpenLineageEvent event, int status, String outcome) {
        audit.record(caller, "lineage", event.namespace(), event.runId().orElse(""), event.eventType().orElse(event.kind().name()),
                status, outcome);
    }
}
