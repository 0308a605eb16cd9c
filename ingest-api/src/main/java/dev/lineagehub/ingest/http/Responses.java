package dev.lineagehub.ingest.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import dev.lineagehub.ingest.publish.KafkaRefusedException;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;

/** JSON answers, errors as Marquez words them: {@code {"code": <status>, "message": "..."}}, plus the list of problems. */
final class Responses {

    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private Responses() {
    }

    static void json(RoutingContext ctx, int status, Object body) {
        json(ctx.response(), status, body);
    }

    /** On any response, also one outside the router (a connection's bounds). */
    static void json(HttpServerResponse response, int status, Object body) {
        try {
            response.setStatusCode(status).putHeader("Content-Type", "application/json")
                    .end(io.vertx.core.buffer.Buffer.buffer(JSON.writeValueAsBytes(body)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void error(RoutingContext ctx, int status, String message) {
        error(ctx, status, message, List.of());
    }

    static void error(RoutingContext ctx, int status, String message, List<String> errors) {
        json(ctx, status, errorBody(status, message, errors));
    }

    static void error(HttpServerResponse response, int status, String message) {
        json(response, status, errorBody(status, message, List.of()));
    }

    private static ObjectNode errorBody(int status, String message, List<String> errors) {
        ObjectNode body = JSON.createObjectNode().put("code", status).put("message", message);
        if (!errors.isEmpty()) {
            errors.forEach(body.putArray("errors")::add);
        }
        return body;
    }

    /** 429 and 503 say when to come back, in whole seconds (HTTP's unit), at least one. */
    static void retryLater(RoutingContext ctx, int status, Duration after, String message) {
        ctx.response().putHeader("Retry-After", String.valueOf(Math.max(1, (after.toMillis() + 999) / 1000)));
        error(ctx, status, message);
    }

    /**
     * How a write Kafka did not take is answered: 413 for a record too large and 500 for a refusal of
     * the API's writes (both repeat on any retry, so no Retry-After), 503 with Retry-After for the rest.
     */
    record PublishFailure(int status, String message) {

        static PublishFailure of(Throwable failure, String unavailable) {
            Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause instanceof KafkaRefusedException refused) {
                return new PublishFailure(refused.tooLarge() ? 413 : 500,
                        refused.getMessage() + "; nothing was accepted, and a retry would be refused the same way");
            }
            return new PublishFailure(503, unavailable);
        }

        boolean retryable() {
            return status == 503;
        }

        String outcome() {
            return retryable() ? "kafka unavailable" : "kafka refused";
        }
    }

    static String disabled(String namespace) {
        return "namespace " + namespace + " is disabled: its keys write nothing until it is enabled again "
                + "(PUT /api/v1/namespaces/" + namespace + " {\"disabled\": false})";
    }

    static void unauthorized(RoutingContext ctx) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"lineage-hub\"");
        error(ctx, 401, "missing or invalid API key (Authorization: Bearer <key>)");
    }
}
