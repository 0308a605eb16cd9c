package dev.lineagehub.lineage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.lineagehub.testing.HttpDouble;

import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineageClientUtils;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * A loopback stand-in for Marquez 0.51's {@code POST /api/v1/lineage} that answers as the real one
 * was measured to (shared/reference/marquez.md), by validating what it receives:
 * <ul>
 *   <li>415 unless {@code Content-Type} is JSON; 422 {@code {"errors":[...]}} for an empty body,</li>
 *   <li>500 {@code {"code":400,...}} when the body is not one JSON object or does not bind to the
 *       OpenLineage model (generated from the OpenLineage JSON schema, known facets included) — after the
 *       leniencies Marquez has: a zoneless {@code eventTime} is read as UTC, a non-UUID {@code runId}
 *       becomes a name-based UUID, and {@code eventType} is free text,</li>
 *   <li>422 listing every missing required field: run, job, eventTime, producer, job.namespace,
 *       job.name, run.runId, and {@code _producer}/{@code _schemaURL} of known facets,</li>
 *   <li>201 with an empty body otherwise — duplicates and unknown facets included.</li>
 * </ul>
 * It can also fail on demand: refuse connections, answer a status (503 with Retry-After, say), or
 * answer slowly; and with {@link #capacity} it has Marquez's limit: a fixed number of events per
 * second, latency growing with concurrency, every request stored even after its client timed out
 * ({@link #duplicates()}).
 */
public final class MarquezDouble extends HttpDouble<MarquezDouble> {

    /** An accepted event, in the order the double accepted them. */
    public record Received(String runId, String eventType, String jobName, byte[] body, String authorization, long atNanos) {
    }

    private static final ObjectMapper JSON = OpenLineageClientUtils.newObjectMapper();
    private static final Pattern ZONED = Pattern.compile(".*(Z|[+-]\\d{2}:?\\d{2}(\\[.*])?)$");
    private static final Set<String> KNOWN_RUN_FACETS = Set.of("nominalTime", "parent", "errorMessage");
    private static final Set<String> KNOWN_JOB_FACETS = Set.of("documentation", "sourceCodeLocation", "sql", "jobType");
    private static final Set<String> KNOWN_DATASET_FACETS = Set.of("documentation", "schema", "dataSource",
            "lifecycleStateChange", "columnLineage", "symlinks", "version", "ownership");

    private final List<Received> received = new ArrayList<>();
    private volatile String stuckText;
    private volatile java.util.concurrent.CountDownLatch stuck = new java.util.concurrent.CountDownLatch(0);
    private final AtomicInteger concurrent = new AtomicInteger();
    private final AtomicInteger maxConcurrent = new AtomicInteger();

    public MarquezDouble() throws IOException {
        super(128);
    }

    public List<Received> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /** The events received since the last call, forgotten here: a soak counts them without keeping every body. */
    public List<Received> drainReceived() {
        synchronized (received) {
            List<Received> drained = List.copyOf(received);
            received.clear();
            return drained;
        }
    }

    /** Forgets the events received so far: a long benchmark would otherwise keep every body in its heap. */
    public void forgetReceived() {
        synchronized (received) {
            received.clear();
        }
    }

    /**
     * Events whose body contains {@code text} get no answer until {@link #unstick()} (then they are
     * stored): one record stuck at the sink while everything else flows.
     */
    public void stickRequestsContaining(String text) {
        stuck = new java.util.concurrent.CountDownLatch(1);
        stuckText = text;
    }

    public void unstick() {
        stuckText = null;
        stuck.countDown();
    }

    private void awaitUnstuck() {
        try {
            stuck.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public int concurrentRequests() {
        return concurrent.get();
    }

    /** The most requests the double was serving at the same time. */
    public int maxConcurrentRequests() {
        return maxConcurrent.get();
    }

    @Override
    protected void register(HttpServer server) {
        server.createContext("/api/v1/lineage", this::handle);
        server.createContext("/api/v1/namespaces", this::listNamespaces);
    }

    /** What the consumer's probe asks while it considers Marquez down; fails the way events fail. */
    private void listNamespaces(HttpExchange exchange) throws IOException {
        try (exchange) {
            readBody(exchange);
            if (!delayOrFail(exchange)) {
                answer(exchange, 200, "{\"namespaces\":[]}");
            }
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
        try (exchange) {
            byte[] body = readBody(exchange);
            String stuckOn = stuckText;
            if (stuckOn != null && new String(body, StandardCharsets.UTF_8).contains(stuckOn)) {
                awaitUnstuck();
            }
            if (delayOrFail(exchange)) {
                return;
            }
            work();
            if (!"POST".equals(exchange.getRequestMethod())) {
                answer(exchange, 405, "{\"code\":405,\"message\":\"HTTP 405 Method Not Allowed\"}");
            } else {
                validateAndAnswer(exchange, body);
            }
        } finally {
            concurrent.decrementAndGet();
        }
    }

    private void validateAndAnswer(HttpExchange exchange, byte[] body) throws IOException {
        String contentType = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type"));
        if (!contentType.startsWith("application/json")) {
            answer(exchange, 415, "{\"code\":415,\"message\":\"HTTP 415 Unsupported Media Type\"}");
            return;
        }
        if (body.length == 0) {
            answer(exchange, 422, "{\"errors\":[\"The request body must not be null\"]}");
            return;
        }
        JsonNode event;
        try {
            event = JSON.readTree(body);
            if (event != null && event.path("job").path("name").asText("").indexOf('\u0000') >= 0) {
                // PostgreSQL refuses byte 0x00: Marquez answers 500 every time, with a body that is not {"code":400}.
                answer(exchange, 500, "{\"code\":500,\"message\":\"There was an error processing your request.\"}");
                return;
            }
            if (event == null || !event.isObject()) {
                throw new IllegalArgumentException("Cannot deserialize LineageEvent from " + (event == null ? "nothing" : event.getNodeType()));
            }
        } catch (JsonProcessingException | IllegalArgumentException e) {
            answer(exchange, 500, unreadable(e.getMessage()));
            return;
        }
        List<String> errors = missingRequired((ObjectNode) event);
        String bindingError = bindingError((ObjectNode) event.deepCopy());
        if (bindingError != null) {
            answer(exchange, 500, unreadable(bindingError));
        } else if (!errors.isEmpty()) {
            answer(exchange, 422, JSON.writeValueAsString(Map.of("errors", errors)));
        } else {
            receive(new Received(event.path("run").path("runId").asText(null), event.path("eventType").asText(null),
                    event.path("job").path("name").asText(null), body,
                    exchange.getRequestHeaders().getFirst("Authorization"), System.nanoTime()));
            answer(exchange, 201, "");
        }
    }

    private static List<String> missingRequired(ObjectNode event) {
        List<String> errors = new ArrayList<>();
        String kind = event.path("schemaURL").asText("");
        boolean runEvent = !kind.endsWith("/DatasetEvent") && !kind.endsWith("/JobEvent");
        require(event, "eventTime", "eventTime", errors);
        require(event, "producer", "producer", errors);
        if (runEvent) {
            require(event, "run", "run", errors);
            require(event.path("run"), "runId", "run.runId", errors);
        }
        if (!kind.endsWith("/DatasetEvent")) {
            require(event, "job", "job", errors);
            require(event.path("job"), "namespace", "job.namespace", errors);
            require(event.path("job"), "name", "job.name", errors);
        }
        requireFacetFields(event.path("run").path("facets"), KNOWN_RUN_FACETS, "run.facets", errors);
        requireFacetFields(event.path("job").path("facets"), KNOWN_JOB_FACETS, "job.facets", errors);
        for (String side : List.of("inputs", "outputs")) {
            for (JsonNode dataset : event.path(side)) {
                requireFacetFields(dataset.path("facets"), KNOWN_DATASET_FACETS, side + "[].facets", errors);
            }
        }
        return errors;
    }

    private static void require(JsonNode parent, String field, String path, List<String> errors) {
        if (!parent.isMissingNode() && (parent.path(field).isMissingNode() || parent.path(field).isNull())) {
            errors.add(path + " must not be null");
        }
    }

    private static void requireFacetFields(JsonNode facets, Set<String> known, String path, List<String> errors) {
        facets.fields().forEachRemaining(facet -> {
            if (known.contains(facet.getKey())) {
                require(facet.getValue(), "_producer", path + "." + facet.getKey() + "._producer", errors);
                require(facet.getValue(), "_schemaURL", path + "." + facet.getKey() + "._schemaURL", errors);
            }
        });
    }

    /** Binds to the OpenLineage model after Marquez's leniencies; the Jackson error message, or null. */
    private static String bindingError(ObjectNode event) {
        event.remove("eventType");
        JsonNode time = event.path("eventTime");
        if (time.isTextual() && time.asText().contains("T") && !ZONED.matcher(time.asText()).matches()) {
            event.put("eventTime", time.asText() + "Z");
        }
        JsonNode run = event.path("run");
        if (run.isObject() && run.path("runId").isTextual()) {
            String runId = run.path("runId").asText();
            try {
                UUID.fromString(runId);
            } catch (IllegalArgumentException notAUuid) {
                ((ObjectNode) run).put("runId", UUID.nameUUIDFromBytes(runId.getBytes(StandardCharsets.UTF_8)).toString());
            }
        }
        String kind = event.path("schemaURL").asText("");
        Class<?> model = kind.endsWith("/DatasetEvent") ? OpenLineage.DatasetEvent.class
                : kind.endsWith("/JobEvent") ? OpenLineage.JobEvent.class : OpenLineage.RunEvent.class;
        try {
            JSON.treeToValue(event, model);
            return null;
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    private static String unreadable(String message) throws JsonProcessingException {
        return JSON.writeValueAsString(Map.of("code", 400, "message", String.valueOf(message)));
    }

    /**
     * Events stored more than once: what re-POSTs after a timeout cost. Marquez keeps every copy, and
     * each one appends the run's input dataset-version links again.
     */
    public long duplicates() {
        List<Received> all = received();
        return all.size() - all.stream().map(r -> r.runId() + "/" + r.eventType()).distinct().count();
    }

    /**
     * The input datasets ({@code namespace/name}) Marquez links to a run: every stored copy of every
     * event of the run appends its inputs, so a re-POSTed START lists its inputs twice.
     */
    public List<String> inputLinks(String runId) {
        List<String> links = new ArrayList<>();
        for (Received event : received()) {
            if (runId.equals(event.runId())) {
                try {
                    JSON.readTree(event.body()).path("inputs")
                            .forEach(input -> links.add(input.path("namespace").asText() + "/" + input.path("name").asText()));
                } catch (IOException unreadable) {
                    throw new IllegalStateException("a stored event is unreadable", unreadable);
                }
            }
        }
        return links;
    }

    private void receive(Received event) {
        synchronized (received) {
            received.add(event);
        }
    }
}
