package dev.lineagehub.ingest.http;

import dev.lineagehub.ingest.audit.AuditLog;
import dev.lineagehub.ingest.auth.Access;
import dev.lineagehub.ingest.config.IngestSettings;
import dev.lineagehub.ingest.health.DependencyHealth;
import dev.lineagehub.ingest.namespaces.NamespaceStore;
import dev.lineagehub.ingest.publish.KafkaPublisher;
import dev.lineagehub.ingest.quota.Quotas;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.CorsHandler;
import io.vertx.ext.web.handler.StaticHandler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP side of ingest-api on Vert.x: request bodies decompressed (gzip) and limited, the lineage,
 * OTLP and namespace routes, health, Prometheus metrics and the OpenAPI document with its docs page.
 */
public final class IngestServer implements AutoCloseable {

    private static final String SWAGGER_UI = "META-INF/resources/webjars/swagger-ui/5.34.1";

    private final Vertx vertx;
    private final List<HttpServer> servers = new ArrayList<>();
    private final ConnectionLimits limits;
    private volatile boolean draining;

    /** The parts the routes use; the server owns none of them. */
    public record Parts(Access access, NamespaceStore namespaces, Quotas quotas, KafkaPublisher publisher, AuditLog audit,
                        DependencyHealth health, IngestMetrics metrics) {
    }

    public IngestServer(IngestSettings settings, Parts parts) throws Exception {
        this.vertx = Vertx.vertx();
        Refusals refusals = new Refusals(parts.access(), parts.audit(), parts.metrics());
        Router router = router(settings, parts);
        router.route().failureHandler(new FailureHandler(refusals, settings.maxBodyBytes()));
        // What no route serves is answered in JSON too, and counted.
        router.errorHandler(404, ctx -> {
            refusals.record(ctx.request(), 404, "no such endpoint");
            Responses.error(ctx, 404, "no endpoint " + ctx.request().path() + " (see /openapi.yaml)");
        });
        router.errorHandler(405, ctx -> {
            refusals.record(ctx.request(), 405, "method not allowed");
            Responses.error(ctx, 405, ctx.request().method() + " is not served on " + ctx.request().path());
        });
        this.limits = new ConnectionLimits(vertx, settings.connections(), refusals);
        parts.metrics().connections(limits::open);
        // No h2c upgrade: the JDK's HTTP client (the OTel SDK's JDK sender, Java workers) asks for one on a connection's
        // first request, and Vert.x hands that request over undecompressed, so its gzip body would read as garbage.
        // No WebSockets are served, so no WebSocket extension handler looks at every request; answers under 1 KB (a 201,
        // an error) are not worth compressing.
        HttpServerOptions options = new HttpServerOptions().setDecompressionSupported(true).setCompressionSupported(true)
                .setCompressionContentSizeThreshold(1024).setHttp2ClearTextEnabled(false)
                .setPerMessageWebSocketCompressionSupported(false).setPerFrameWebSocketCompressionSupported(false);
        settings.tls().ifPresent(tls -> options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
                .setCertPath(tls.certificate().toString()).setKeyPath(tls.key().toString())));
        // One server per event loop (Vert.x has two per core), sharing the port (Vert.x hands connections out in turn): with
        // a single loop, the requests of a burst of acknowledgements were read, parsed and answered one after another, and
        // with one per core a loop the scheduler paused held half the connections (docs/benchmarks.md has both steps).
        // Port 0 (any free port, in tests) is -1 to Vert.x: one random port that the servers share.
        int port = settings.port() == 0 ? -1 : settings.port();
        try {
            for (int i = 0; i < VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE; i++) {
                servers.add(listen(router, options, port));
            }
        } catch (Exception cannotListen) {
            vertx.close(); // its event loops and any server already listening
            throw cannotListen;
        }
    }

    private HttpServer listen(Router router, HttpServerOptions options, int port) throws Exception {
        Promise<HttpServer> listening = Promise.promise();
        vertx.deployVerticle(context -> vertx.createHttpServer(options).connectionHandler(limits.onConnection())
                        .requestHandler(limits.onRequest(router)).listen(port).andThen(listening))
                .onFailure(listening::tryFail);
        return listening.future().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private Router router(IngestSettings settings, Parts parts) {
        Router router = Router.router(vertx);
        if (!settings.corsOrigins().isBlank()) {
            router.route().handler(CorsHandler.create().addOriginWithRegex(settings.corsOrigins())
                    .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE))
                    .allowedHeaders(Set.of("Authorization", "Content-Type", "Content-Encoding")));
        }
        // Every request's body is read through one handler, whatever its route (a GET, an unknown path included): a body that
        // does not decompress or is over the limit is then answered 400 or 413 everywhere, where a route that did not read its
        // body left the decoder's failure unhandled and the connection was closed with no answer at all.
        // Preallocated from Content-Length: otherwise each body grew from 1 KB by copying (a sixth of the API's allocation).
        router.route().handler(BodyHandler.create(false).setBodyLimit(settings.maxBodyBytes()).setPreallocateBodyBuffer(true));
        Duration retryAfter = Duration.ofSeconds(settings.retryAfterSeconds());
        LineageRoute lineage = new LineageRoute(parts.access(), parts.namespaces(), parts.quotas(), parts.publisher(), parts.audit(),
                parts.metrics(), settings.topics().lineage(), retryAfter);
        router.post("/api/v1/lineage").handler(lineage::handle);
        router.post("/api/v1/lineage/ingest").handler(lineage::handle);
        OtlpRoute otlp = new OtlpRoute(parts.access(), parts.namespaces(), parts.quotas(), parts.publisher(), parts.audit(),
                parts.metrics(), settings.topics(), retryAfter);
        router.post("/v1/traces").handler(ctx -> otlp.handle(ctx, OtlpRoute.Signal.TRACES));
        router.post("/v1/metrics").handler(ctx -> otlp.handle(ctx, OtlpRoute.Signal.METRICS));
        router.post("/v1/logs").handler(ctx -> otlp.handle(ctx, OtlpRoute.Signal.LOGS));
        router.post("/api/v1/telemetry/ingest").handler(otlp::handleAny);
        new NamespaceRoutes(parts.access(), parts.namespaces(), parts.audit(), parts.metrics()).mount(router);
        router.get("/api/v1/health").handler(ctx -> {
            if (draining) {
                Responses.json(ctx, 503, Map.of("status", "DRAINING"));
            } else {
                health(ctx, parts);
            }
        });
        router.get("/metrics").handler(ctx -> ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                .end(parts.metrics().scrape()));
        router.get("/openapi.yaml").handler(ctx -> resource(ctx, "ingest-api/openapi.yaml", "application/yaml"));
        // Matches /docs and /docs/ alike; the page names its assets by absolute paths.
        router.get("/docs").handler(ctx -> resource(ctx, "ingest-api/docs.html", "text/html; charset=utf-8"));
        router.get("/docs/assets/*").handler(StaticHandler.create(SWAGGER_UI));
        return router;
    }

    public int port() {
        return servers.get(0).actualPort();
    }

    /** 200 while Kafka takes writes (and namespaces are loaded), else 503; the other dependencies are reported, not required. */
    private static void health(RoutingContext ctx, Parts parts) {
        Future.fromCompletionStage(parts.health().check(), ctx.vertx().getOrCreateContext()).onComplete(checked -> {
            Map<String, Object> dependencies = new LinkedHashMap<>();
            boolean up = checked.succeeded() && checked.result().get("kafka").up() && parts.namespaces().ready();
            if (checked.succeeded()) {
                checked.result().forEach((name, status) -> dependencies.put(name, dependency(status.up() ? "UP" : "DOWN", status.detail())));
            }
            dependencies.put("namespaces", dependency(parts.namespaces().ready() ? "UP" : "LOADING",
                    parts.namespaces().all().size() + " namespace(s)"));
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("status", up ? "UP" : "DOWN");
            report.put("dependencies", dependencies);
            Responses.json(ctx, up ? 200 : 503, report);
        });
    }

    private static Map<String, String> dependency(String status, String detail) {
        Map<String, String> dependency = new LinkedHashMap<>();
        dependency.put("status", status);
        dependency.put("detail", detail);
        return dependency;
    }

    private static void resource(RoutingContext ctx, String name, String contentType) {
        try (var in = IngestServer.class.getClassLoader().getResourceAsStream(name)) {
            ctx.response().putHeader("Content-Type", contentType).end(io.vertx.core.buffer.Buffer.buffer(in.readAllBytes()));
        } catch (java.io.IOException | NullPointerException e) {
            Responses.error(ctx, 500, "missing resource " + name);
        }
    }

    /** Ready answers 503 from now on, and every answer closes its connection; requests are still served. */
    public void drain() {
        draining = true;
        limits.drain();
    }

    /**
     * Stops taking connections, lets the requests in progress finish within {@code timeout} (then
     * closes what is left), and answers how many connections were still open when it began.
     */
    public int stop(Duration timeout) throws Exception {
        int open = limits.open();
        CompletableFuture.allOf(servers.stream().map(server -> server.shutdown(timeout).toCompletionStage().toCompletableFuture())
                .toArray(CompletableFuture[]::new)).get(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
        return open;
    }

    @Override
    public void close() throws Exception {
        // Undeploys every server instance, each closing its server.
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
