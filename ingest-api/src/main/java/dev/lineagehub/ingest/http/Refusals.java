package dev.lineagehub.ingest.http;

import dev.lineagehub.ingest.audit.AuditLog;
import dev.lineagehub.ingest.auth.Access;
import dev.lineagehub.ingest.auth.Caller;

import io.vertx.core.http.HttpServerRequest;

/**
 * Counts and audits what is refused before a route could (a body over the limit, bad gzip, a request
 * too slow, a connection over the cap, a client gone mid-request), by the endpoint its path names and
 * the caller its key names, as the routes do for their own refusals.
 */
final class Refusals {

    private final Access access;
    private final AuditLog audit;
    private final IngestMetrics metrics;

    Refusals(Access access, AuditLog audit, IngestMetrics metrics) {
        this.access = access;
        this.audit = audit;
        this.metrics = metrics;
    }

    void record(HttpServerRequest request, int status, String outcome) {
        String endpoint = endpoint(request.path());
        metrics.request(endpoint, status);
        Caller caller = access.authenticate(request.getHeader("Authorization")).orElse(Caller.ANONYMOUS);
        audit.record(caller, endpoint, caller.namespace(), "", "", status, outcome);
    }

    /** The label the routes count under, from a path; "other" for any path no route serves. */
    static String endpoint(String path) {
        if (path == null) {
            return "other";
        }
        if (path.startsWith("/api/v1/lineage")) {
            return "lineage";
        }
        if (path.startsWith("/api/v1/namespaces")) {
            return "namespaces";
        }
        return switch (path) {
            case "/v1/traces" -> "traces";
            case "/v1/metrics" -> "metrics";
            case "/v1/logs" -> "logs";
            case "/api/v1/telemetry/ingest" -> "telemetry";
            default -> "other";
        };
    }
}
