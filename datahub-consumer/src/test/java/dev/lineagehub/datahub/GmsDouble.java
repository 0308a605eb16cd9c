package dev.lineagehub.datahub;

import dev.lineagehub.testing.HttpDouble;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linkedin.common.urn.Urn;
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
 * A loopback stand-in for DataHub GMS's {@code POST /aspects?action=ingestProposal} that validates
 * every proposal the way GMS does: against DataHub's own entity registry and Pegasus aspect schemas,
 * shipped inside the client jar. Unknown entity or aspect, a URN of the wrong entity type, or an
 * aspect that breaks its schema (a missing required field, an enum symbol that does not exist) is
 * answered 422 with GMS's message shape. Accepted proposals are recorded in arrival order.
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
    private volatile String refusedUrnFragment;
    private volatile int refusalStatus = 422;

    public GmsDouble() throws IOException {
        super(64);
    }

    public List<Proposal> accepted() {
        synchronized (accepted) {
            return List.copyOf(accepted);
        }
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
        try {
            Urn urn = Urn.createFromString(entityUrn);
            if (!urn.getEntityType().equals(entityType)) {
                return "Urn " + entityUrn + " is not of entity type " + entityType;
            }
        } catch (java.net.URISyntaxException e) {
            return "Invalid urn " + entityUrn + ": " + e.getMessage();
        }
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

    private void ingest(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = readBody(exchange);
            if (delayOrFail(exchange)) {
                return;
            }
            work();
            if (!"POST".equals(exchange.getRequestMethod())
                    || !"action=ingestProposal".equals(exchange.getRequestURI().getQuery())) {
                answer(exchange, 404, error(404, "No such action: " + exchange.getRequestURI()));
                return;
            }
            JsonNode proposal = JSON.readTree(body).path("proposal");
            String entityType = proposal.path("entityType").asText();
            String entityUrn = proposal.path("entityUrn").asText();
            String aspectName = proposal.path("aspectName").asText();
            JsonNode aspect = proposal.path("aspect");
            if (!"UPSERT".equals(proposal.path("changeType").asText())
                    || !"application/json".equals(aspect.path("contentType").asText()) || !aspect.path("value").isTextual()) {
                answer(exchange, 422, error(422, "proposal must be an UPSERT with a JSON aspect value"));
                return;
            }
            String refused = refusedUrnFragment;
            if (refused != null && entityUrn.contains(refused)) {
                answer(exchange, refusalStatus, error(refusalStatus, "[ERROR :: /name :: refused by the test for " + entityUrn + "]"));
                return;
            }
            String violation = violation(entityType, entityUrn, aspectName, aspect.path("value").asText());
            if (violation != null) {
                answer(exchange, 422, error(422, violation));
                return;
            }
            synchronized (accepted) {
                accepted.add(new Proposal(entityType, entityUrn, aspectName, JSON.readTree(aspect.path("value").asText()),
                        exchange.getRequestHeaders().getFirst("Authorization")));
            }
            answer(exchange, 200, JSON.writeValueAsString(Map.of("value", entityUrn)));
        } catch (IOException | RuntimeException e) {
            answer(exchange, 400, error(400, "unreadable request: " + e.getMessage()));
        }
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
