package dev.lineagehub.datahub;

import dev.lineagehub.testing.HttpDouble;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linkedin.common.urn.Urn;
import com.linkedin.common.urn.UrnUtils;
import com.linkedin.common.urn.UrnValidator;
import com.linkedin.data.DataMap;
import com.linkedin.data.codec.JacksonDataCodec;
import com.linkedin.data.message.Message;
import com.linkedin.data.schema.validation.CoercionMode;
import com.linkedin.data.schema.validation.RequiredMode;
import com.linkedin.data.schema.validation.UnrecognizedFieldMode;
import com.linkedin.data.schema.validation.ValidateDataAgainstSchema;
import com.linkedin.data.schema.validation.ValidationOptions;
import com.linkedin.data.schema.validation.ValidationResult;
import com.linkedin.data.schema.ArrayDataSchema;
import com.linkedin.data.schema.RecordDataSchema;
import com.linkedin.metadata.aspect.plugins.PluginFactory;
import com.linkedin.metadata.models.AspectSpec;
import com.linkedin.metadata.models.EntitySpec;
import com.linkedin.metadata.models.registry.ConfigEntityRegistry;
import com.linkedin.metadata.models.registry.EntityRegistry;
import com.linkedin.metadata.models.registry.MergedEntityRegistry;
import com.linkedin.metadata.models.registry.SnapshotEntityRegistry;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A loopback stand-in for DataHub GMS's {@code POST /aspects?action=ingestProposal} (and {@code ingestProposalBatch}) that validates
 * every proposal the way GMS does: against DataHub's own entity registry and Pegasus aspect schemas,
 * shipped inside the client jar. Unknown entity or aspect, a URN of the wrong entity type, or an
 * aspect that breaks its schema (a missing required field, an enum symbol that does not exist) is
 * answered 422 with GMS's message shape. Accepted proposals are recorded in arrival order, and
 * patches are applied to the fields they add to, so a test can see what accumulated.
 */
public final class GmsDouble extends HttpDouble<GmsDouble> {

    /** An accepted proposal. {@code value} is the aspect's JSON. */
    public record Proposal(String entityType, String entityUrn, String aspectName, JsonNode value, String authorization) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JacksonDataCodec CODEC = new JacksonDataCodec();
    private static final ValidationOptions GMS_VALIDATION = new ValidationOptions(
            RequiredMode.CAN_BE_ABSENT_IF_HAS_DEFAULT, CoercionMode.NORMAL, UnrecognizedFieldMode.IGNORE);
    private static final EntityRegistry REGISTRY = registry();

    private final List<Proposal> accepted = new ArrayList<>();
    /** Patched array fields, by URN, aspect and field: key to value (guarded by {@code accepted}). */
    private final Map<String, Map<String, JsonNode>> patches = new java.util.HashMap<>();
    private volatile String refusedUrnFragment;
    private volatile int refusalStatus = 422;
    private volatile boolean servesBatches = true;
    private final java.util.concurrent.atomic.AtomicLong requests = new java.util.concurrent.atomic.AtomicLong();

    public GmsDouble() throws IOException {
        super(64);
    }

    public List<Proposal> accepted() {
        synchronized (accepted) {
            return List.copyOf(accepted);
        }
    }

    /** Answers ingestProposalBatch with 404, as a GMS without batch ingestion does. */
    public void withoutBatches() {
        servesBatches = false;
    }

    /** Ingest requests that stored their proposals, one per batch or per single proposal. */
    public long storingRequests() {
        return requests.get();
    }

    /** Answers 422, as GMS does for an aspect it cannot store, to every proposal whose URN contains this. */
    public void refuseProposalsFor(String urnFragment) {
        refuseProposalsFor(urnFragment, 422);
    }

    /** Answers this status to every proposal whose URN contains this, e.g. a 500 GMS gives on every try for one entity. */
    public void refuseProposalsFor(String urnFragment, int status) {
        refusalStatus = status;
        refusedUrnFragment = urnFragment;
    }

    /**
     * What GMS would say about this proposal: null when it is valid, else the 422 message. Public so
     * the double's own tests can check it against hand-made proposals.
     */
    public static String violation(String entityType, String entityUrn, String aspectName, String aspectJson) {
        Object target = target(entityType, entityUrn, aspectName);
        if (target instanceof String problem) {
            return problem;
        }
        AspectSpec aspect = (AspectSpec) target;
        DataMap data;
        try {
            data = CODEC.stringToMap(aspectJson);
        } catch (IOException e) {
            return "Aspect value is not a JSON object: " + e.getMessage();
        }
        ValidationResult result = ValidateDataAgainstSchema.validate(data, aspect.getPegasusSchema(), GMS_VALIDATION,
                new UrnValidator());
        if (result.isValid()) {
            return null;
        }
        return result.getMessages().stream().map(Message::toString).collect(Collectors.joining("\n"));
    }

    /** The aspect's spec, or what GMS says when the entity, the aspect or the URN is wrong. */
    private static Object target(String entityType, String entityUrn, String aspectName) {
        EntitySpec entity;
        try {
            entity = REGISTRY.getEntitySpec(entityType);
        } catch (IllegalArgumentException unknown) {
            return "Unknown entity type " + entityType;
        }
        AspectSpec aspect = entity.getAspectSpec(aspectName);
        if (aspect == null) {
            return "Unknown aspect " + aspectName + " for entity " + entityType;
        }
        String refused = urnViolation(entityUrn);
        if (refused != null) {
            return refused;
        }
        return UrnUtils.getUrn(entityUrn).getEntityType().equals(entityType) ? aspect
                : "Urn " + entityUrn + " is not of entity type " + entityType;
    }

    /**
     * What GMS's {@code UrnValidationUtil} (strict, as on ingestion) says about a URN: null when it takes it. It must
     * parse with DataHub's own parser; no whitespace around it; at most 512 characters URL-encoded (schemaField URNs
     * excepted); no {@code ␟}; no comma in a simple URN's id; no unencoded parenthesis in a part that is not itself a
     * URN (unless it holds an encoded one), and no comma in a tuple's part.
     */
    public static String urnViolation(String text) {
        Urn urn;
        try {
            urn = Urn.createFromString(text);
        } catch (java.net.URISyntaxException e) {
            return "Invalid urn " + text + ": " + e.getMessage();
        }
        if (!text.strip().equals(text)) {
            return "Error: cannot provide an URN with leading or trailing whitespace";
        }
        if (!urn.getEntityType().equals("schemaField") && java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8).length() > 512) {
            return "Error: cannot provide an URN longer than 512 bytes (when URL encoded)";
        }
        if (text.contains("\u241F")) {
            return "Error: URN cannot contain \u241F character";
        }
        List<String> parts = urn.getEntityKey().getParts();
        if (parts.size() == 1 && parts.get(0).contains(",")) {
            return "Simple URN " + text + " contains comma character which is not allowed in non-tuple URNs";
        }
        for (String part : parts) {
            boolean checked = !part.startsWith("urn:li:") && !part.contains("%28") && !part.contains("%29");
            if (checked && (part.contains("(") || part.contains(")") || (parts.size() > 1 && part.contains(",")))) {
                return "Illegal characters detected in URN " + text + " component(s): [" + part + "]";
            }
        }
        return null;
    }

    /**
     * What GMS would say about a PATCH: null when every operation is one GMS's patch templates apply.
     * An {@code add} or {@code remove} of {@code /<field>/<key>} on an array the template keys (dataset
     * edges by their URN, upstreams by their dataset, tags by their URN; owners by {@code /<owner>/<type>}), the value checked against the array's item
     * schema, or on a map of strings (custom properties); fine-grained lineage as {@code /fineGrainedLineages/<operation>/<downstream>/<query>/<upstream>}
     * with a confidence score, both ends schema-field URNs.
     */
    public static String patchViolation(String entityType, String entityUrn, String aspectName, String opsJson) {
        Object target = target(entityType, entityUrn, aspectName);
        if (target instanceof String problem) {
            return problem;
        }
        RecordDataSchema schema = (RecordDataSchema) ((AspectSpec) target).getPegasusSchema();
        JsonNode ops;
        try {
            ops = JSON.readTree(opsJson);
        } catch (IOException e) {
            return "Patch is not JSON: " + e.getMessage();
        }
        if (!ops.isArray() || ops.isEmpty()) {
            return "Patch must be a non-empty array of operations";
        }
        for (JsonNode op : ops) {
            String verb = op.path("op").asText();
            List<String> path = pointer(op.path("path").asText());
            if (!verb.equals("add") && !verb.equals("remove")) {
                return "Unsupported patch operation " + verb;
            }
            RecordDataSchema.Field field = path.isEmpty() ? null : schema.getField(path.get(0));
            com.linkedin.data.schema.DataSchema fieldType = field == null ? null : field.getType().getDereferencedDataSchema();
            if (fieldType instanceof com.linkedin.data.schema.MapDataSchema map) {
                // A map field (custom properties): /<field>/<key>, the value of the map's value type.
                if (path.size() != 2 || verb.equals("add") && (map.getValues().getDereferencedType() != com.linkedin.data.schema.DataSchema.Type.STRING
                        || !op.path("value").isTextual())) {
                    return "Path " + op.path("path").asText() + " must be /" + field.getName() + "/<key> with a string value";
                }
                continue;
            }
            if (!(fieldType instanceof ArrayDataSchema array)) {
                return "Path " + op.path("path").asText() + " names no array or map of " + aspectName;
            }
            if (field.getName().equals("fineGrainedLineages")) {
                if (path.size() != 5 || !path.get(2).startsWith("urn:li:schemaField:") || !path.get(4).startsWith("urn:li:schemaField:")
                        || verb.equals("add") && !op.path("value").path("confidenceScore").isNumber()) {
                    return "Fine-grained lineage patch must be /fineGrainedLineages/<op>/<downstream field>/<query>/<upstream field> "
                            + "with a confidenceScore: " + op;
                }
                continue;
            }
            // Owners are keyed by owner and type (one person can be a technical and a business owner), the rest by one key.
            int keys = field.getName().equals("owners") ? 2 : 1;
            if (path.size() != 1 + keys) {
                return "Path " + op.path("path").asText() + " must be /" + field.getName() + (keys == 2 ? "/<owner>/<type>" : "/<key>");
            }
            if (verb.equals("add")) {
                try {
                    ValidationResult item = ValidateDataAgainstSchema.validate(CODEC.stringToMap(op.path("value").toString()),
                            array.getItems().getDereferencedDataSchema(), GMS_VALIDATION, new UrnValidator());
                    if (!item.isValid()) {
                        return item.getMessages().stream().map(Message::toString).collect(Collectors.joining("\n"));
                    }
                } catch (IOException e) {
                    return "Value of " + op.path("path").asText() + " is not a JSON object";
                }
            }
        }
        return null;
    }

    /** A JSON Pointer's segments, unescaped (RFC 6901). */
    private static List<String> pointer(String path) {
        if (!path.startsWith("/")) {
            return List.of();
        }
        return java.util.Arrays.stream(path.substring(1).split("/", -1))
                .map(segment -> segment.replace("~1", "/").replace("~0", "~")).toList();
    }

    /**
     * What the patches applied so far hold under an aspect's field: the keys added and not removed
     * (for fine-grained lineage, {@code <operation>/<downstream>/<query>/<upstream>}).
     */
    public java.util.Set<String> patched(String entityUrn, String aspectName, String field) {
        synchronized (accepted) {
            return java.util.Set.copyOf(patches.getOrDefault(entityUrn + '|' + aspectName + '|' + field, java.util.Map.of()).keySet());
        }
    }

    private void apply(String entityUrn, String aspectName, JsonNode ops) {
        for (JsonNode op : ops) {
            List<String> path = pointer(op.path("path").asText());
            Map<String, JsonNode> values = patches.computeIfAbsent(entityUrn + '|' + aspectName + '|' + path.get(0),
                    key -> new java.util.LinkedHashMap<>());
            String key = String.join("/", path.subList(1, path.size()));
            if (op.path("op").asText().equals("add")) {
                values.put(key, op.path("value"));
            } else {
                values.remove(key);
            }
        }
    }

    @Override
    protected void register(HttpServer server) {
        server.createContext("/aspects", this::ingest);
        server.createContext("/config", this::config);
    }

    /** What the client's connection test (the consumer's probe) asks; fails the way proposals fail. */
    private void config(HttpExchange exchange) throws IOException {
        try (exchange) {
            readBody(exchange);
            if (!delayOrFail(exchange)) {
                answer(exchange, 200, "{\"noCode\":\"true\"}");
            }
        }
    }

    /**
     * {@code ingestProposal} (one {@code proposal}) and, unless turned off, {@code ingestProposalBatch} (a list of
     * {@code proposals}), as GMS's AspectResource serves them: a batch is checked whole before anything of it is
     * stored, and refused whole (GMS's ValidationException is a 422 for the batch). A request costs one unit of the
     * double's capacity whatever it carries: GMS's cost is mostly per request (HTTP, authorisation, one transaction).
     */
    private void ingest(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = readBody(exchange);
            if (delayOrFail(exchange)) {
                return;
            }
            work();
            String action = exchange.getRequestURI().getQuery();
            List<JsonNode> proposals = new ArrayList<>();
            if ("POST".equals(exchange.getRequestMethod()) && "action=ingestProposal".equals(action)) {
                proposals.add(JSON.readTree(body).path("proposal"));
            } else if ("POST".equals(exchange.getRequestMethod()) && "action=ingestProposalBatch".equals(action) && servesBatches) {
                JSON.readTree(body).path("proposals").forEach(proposals::add);
            } else {
                answer(exchange, 404, error(404, "No such action: " + exchange.getRequestURI()));
                return;
            }
            for (JsonNode proposal : proposals) {
                Refused refused = refusal(proposal);
                if (refused != null) {
                    answer(exchange, refused.status(), refused.body());
                    return;
                }
            }
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            synchronized (accepted) {
                for (JsonNode proposal : proposals) {
                    String entityUrn = proposal.path("entityUrn").asText();
                    String aspectName = proposal.path("aspectName").asText();
                    JsonNode value = JSON.readTree(proposal.path("aspect").path("value").asText());
                    accepted.add(new Proposal(proposal.path("entityType").asText(), entityUrn, aspectName, value, authorization));
                    if ("PATCH".equals(proposal.path("changeType").asText())) {
                        apply(entityUrn, aspectName, value);
                    }
                }
            }
            requests.incrementAndGet();
            answer(exchange, 200, JSON.writeValueAsString(Map.of("value", proposals.isEmpty() ? "" : proposals.get(0).path("entityUrn").asText())));
        } catch (IOException | RuntimeException e) {
            answer(exchange, 400, error(400, "unreadable request: " + e.getMessage()));
        }
    }

    /** What GMS answers a proposal it does not store, or null when it would store it. */
    private record Refused(int status, String body) {
    }

    private Refused refusal(JsonNode proposal) throws IOException {
        String entityType = proposal.path("entityType").asText();
        String entityUrn = proposal.path("entityUrn").asText();
        String aspectName = proposal.path("aspectName").asText();
        JsonNode aspect = proposal.path("aspect");
        String changeType = proposal.path("changeType").asText();
        if (!("UPSERT".equals(changeType) || "PATCH".equals(changeType))
                || !"application/json".equals(aspect.path("contentType").asText()) || !aspect.path("value").isTextual()) {
            return new Refused(422, error(422, "proposal must be an UPSERT or a PATCH with a JSON aspect value"));
        }
        String refused = refusedUrnFragment;
        if (refused != null && entityUrn.contains(refused)) {
            return new Refused(refusalStatus, error(refusalStatus, "[ERROR :: /name :: refused by the test for " + entityUrn + "]"));
        }
        String violation = "PATCH".equals(changeType) ? patchViolation(entityType, entityUrn, aspectName, aspect.path("value").asText())
                : violation(entityType, entityUrn, aspectName, aspect.path("value").asText());
        return violation == null ? null : new Refused(422, error(422, violation));
    }

    /** GMS's Rest.li error body. */
    private static String error(int status, String message) throws IOException {
        return JSON.writeValueAsString(Map.of("exceptionClass", "com.linkedin.restli.server.RestLiServiceException",
                "message", message, "status", status));
    }

    /** The snapshot registry alone lacks dataProcessInstance; the jar's entity-registry.yml has it. */
    private static EntityRegistry registry() {
        try (InputStream yaml = GmsDouble.class.getClassLoader().getResourceAsStream("entity-registry.yml")) {
            ConfigEntityRegistry config = new ConfigEntityRegistry(yaml, (plugins, loaders) -> PluginFactory.empty());
            return new MergedEntityRegistry(SnapshotEntityRegistry.getInstance()).apply(config);
        } catch (Exception | com.linkedin.metadata.models.registry.EntityRegistryException e) {
            // the client's EntityRegistryException extends Throwable, not Exception
            throw new IllegalStateException("cannot load DataHub's entity registry from the client jar", e);
        }
    }
}
