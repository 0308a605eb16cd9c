package dev.lineagehub.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lineagehub.datahub.DataHubConsumer;
import dev.lineagehub.ingest.IngestApi;
import dev.lineagehub.ingest.config.IngestSettings;
import dev.lineagehub.lineage.LineageConsumer;
import dev.lineagehub.otel.OtelConsumer;
import dev.lineagehub.runtime.ConsumerDefinition;
import dev.lineagehub.runtime.ConsumerRuntime;
import dev.lineagehub.testing.ConfigDocs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The settings the code reads, the deploy/ config, docker-compose.yml and the README name the same
 * variables: a setting cannot be added or renamed in one place only, and secrets stay in Secrets.
 */
class DeployConfigTest {

    private static final Path ROOT = Path.of("..");
    private static final Path BASE = ROOT.resolve("deploy/base");
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final int PARTITIONS = LocalRun.PARTITIONS;

    /** A deployable part: its settings, main class and health endpoint; a consumer or ingest-api. */
    record Component(String name, String prefix, ConfigDef configDef, String mainClass, int healthPort, String healthPath) {

        static Component of(String name, ConsumerDefinition consumer) {
            return new Component(name, consumer.envPrefix(), ConsumerRuntime.configDef(consumer), consumer.getClass().getName(),
                    consumer.defaultAdminPort(), "/health/ready");
        }

        Set<String> variables() {
            return configDef().names();
        }

        Set<String> secrets() {
            return configDef().configKeys().values().stream().filter(key -> key.type == ConfigDef.Type.PASSWORD)
                    .map(key -> key.name).collect(Collectors.toSet());
        }

        /** A variable the component reads: a defined setting, or a Kafka client/Streams property passed through. */
        boolean reads(String variable) {
            return variables().contains(variable) || variable.startsWith(prefix + "KAFKA_");
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Component> consumers() {
        return Stream.of(Component.of("lineage-consumer", new LineageConsumer()),
                Component.of("datahub-consumer", new DataHubConsumer()),
                Component.of("otel-consumer", new OtelConsumer()));
    }

    static Stream<Component> components() {
        return Stream.concat(consumers(), Stream.of(new Component("ingest-api", IngestSettings.PREFIX, IngestSettings.definition(),
                IngestApi.class.getName(), 8090, "/api/v1/health")));
    }

    @ParameterizedTest
    @MethodSource("components")
    void theBaseConfigMapAndSecretHoldExactlyTheVariablesTheCodeReads(Component consumer) throws IOException {
        Map<String, String> config = envFile(BASE.resolve(consumer.name() + "/config.env"));
        Map<String, String> secret = envFile(BASE.resolve(consumer.name() + "/secret.env"));

        Set<String> deployed = new HashSet<>(config.keySet());
        deployed.addAll(secret.keySet());
        assertThat(deployed).as("variables in deploy/base/%s", consumer).containsExactlyInAnyOrderElementsOf(consumer.variables());
        assertThat(secret.keySet()).as("secrets of %s live in its Secret only", consumer)
                .containsExactlyInAnyOrderElementsOf(consumer.secrets());
        // Every default in the ConfigMap must pass the consumer's own validation.
        Map<String, String> env = new LinkedHashMap<>(config);
        env.putAll(secret);
        consumer.configDef().parse(Map.copyOf(env));
    }

    @ParameterizedTest
    @MethodSource("consumers")
    void theReadmeDocumentsTheSameVariables(Component consumer) throws IOException {
        // The README's table must be exactly the one rendered from the consumer's ConfigDef.
        ConfigDocs.assertReadmeDocuments(consumer.name().replace("-consumer", ""), consumer.prefix(), consumer.configDef());
    }

    @ParameterizedTest
    @MethodSource("consumers")
    void theStatefulSetRunsTheConsumerWithItsConfigProbesAndAGraceAboveTheCloseTimeout(Component consumer) throws IOException {
        List<JsonNode> documents = documents(BASE.resolve(consumer.name() + "/statefulset.yaml"));
        JsonNode deployment = documents.stream()
                .filter(doc -> doc.path("kind").asText().equals("StatefulSet")).findFirst().orElseThrow();
        Map<String, String> config = envFile(BASE.resolve(consumer.name() + "/config.env"));
        JsonNode pod = deployment.path("spec").path("template").path("spec");
        JsonNode container = pod.path("containers").get(0);
        String prefix = consumer.prefix();

        assertThat(container.path("args").get(0).asText()).isEqualTo(consumer.mainClass());
        assertThat(container.path("envFrom").findValuesAsText("name")).containsExactly(consumer.name(), consumer.name());
        assertThat(container.path("ports").get(0).path("containerPort").asInt())
                .isEqualTo(Integer.parseInt(config.get(prefix + "ADMIN_PORT")));
        assertThat(container.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/health/ready");
        assertThat(container.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/health/live");
        assertThat(container.path("startupProbe").path("httpGet").path("path").asText()).as("a slow start is not a hung consumer")
                .isEqualTo("/health/live");
        assertThat(container.path("livenessProbe").has("initialDelaySeconds")).as("the startup probe holds liveness back").isFalse();
        assertThat(pod.path("terminationGracePeriodSeconds").asLong() * 1000)
                .isGreaterThan(Long.parseLong(config.get(prefix + "SHUTDOWN_TIMEOUT_MS")));
        assertThat(deployment.path("spec").path("replicas").asInt()).isBetween(1, PARTITIONS);
        assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(container.path("resources").path("requests").isObject()).isTrue();

        // Static membership: each pod's stable name is its group.instance.id, passed through as a Kafka property.
        JsonNode instanceId = envEntry(container.path("env"), prefix + "KAFKA_GROUP_INSTANCE_ID");
        assertThat(instanceId.path("valueFrom").path("fieldRef").path("fieldPath").asText()).isEqualTo("metadata.name");
        assertThat(deployment.path("spec").path("serviceName").asText()).isEqualTo(consumer.name());
        assertThat(documents).anySatisfy(service -> {
            assertThat(service.path("kind").asText()).isEqualTo("Service");
            assertThat(service.path("spec").path("clusterIP").asText()).isEqualTo("None");
        });
        assertPodHygiene(documents, pod, consumer.name());
    }

    /**
     * The Strimzi overlay as kubectl renders it (./lineage-hub test installs kubectl before the tests run): the
     * consumer's KafkaUser, whose own secret gives the JAAS config, has exactly its topics and group; its inputs and
     * dead-letter topics are KafkaTopics, a dead-letter topic holding its input's largest record and the error headers;
     * the cluster CA is mounted where the trust store setting points.
     */
    @ParameterizedTest
    @MethodSource("consumers")
    void theStrimziOverlayGivesTheConsumerItsUserTopicsAndTrustStore(Component consumer) throws Exception {
        List<JsonNode> rendered = rendered("deploy/overlays/strimzi");
        String prefix = consumer.prefix();
        JsonNode pod = named(rendered, "StatefulSet", consumer.name()).path("spec").path("template").path("spec");
        JsonNode container = pod.path("containers").get(0);
        JsonNode config = rendered.stream().filter(doc -> doc.path("kind").asText().equals("ConfigMap")
                && doc.path("metadata").path("name").asText().startsWith(consumer.name() + "-")).findFirst().orElseThrow().path("data");

        JsonNode jaas = envEntry(container.path("env"), prefix + "KAFKA_SASL_JAAS_CONFIG").path("valueFrom").path("secretKeyRef");
        assertThat(jaas.path("key").asText()).isEqualTo("sasl.jaas.config");
        JsonNode user = named(rendered, "KafkaUser", jaas.path("name").asText());
        assertThat(user.path("spec").path("authentication").path("type").asText()).isEqualTo("scram-sha-512");
        assertThat(user.path("metadata").path("namespace").asText()).as("its secret lives where the pod does")
                .isEqualTo(named(rendered, "StatefulSet", consumer.name()).path("metadata").path("namespace").asText());
        Map<String, String> acls = new LinkedHashMap<>();
        user.path("spec").path("authorization").path("acls").forEach(acl -> acls.put(acl.path("resource").path("type").asText() + ":"
                + acl.path("resource").path("name").asText(), acl.path("operations").toString()));
        assertThat(acls.get("group:" + config.path(prefix + "KAFKA_APPLICATION_ID").asText())).contains("Read");

        List<String> inputs = new ArrayList<>();
        config.fields().forEachRemaining(entry -> {
            if (entry.getKey().matches(prefix + "(SPANS_|METRICS_|LOGS_)?TOPIC") && !entry.getValue().asText().isEmpty()) {
                inputs.add(entry.getValue().asText());
            }
        });
        assertThat(inputs).isNotEmpty();
        for (String input : inputs) {
            String deadLetters = config.path(prefix + "DLQ_TOPIC").asText().replace("{topic}", input);
            assertThat(acls.get("topic:" + input)).contains("Read");
            assertThat(acls.get("topic:" + deadLetters)).contains("Write");
            long inputBytes = topic(rendered, input).path("spec").path("config").path("max.message.bytes").asLong();
            assertThat(topic(rendered, deadLetters).path("spec").path("config").path("max.message.bytes").asLong())
                    .isEqualTo(inputBytes + 65_536);
        }

        assertThat(config.path(prefix + "KAFKA_SECURITY_PROTOCOL").asText()).isEqualTo("SASL_SSL");
        assertThat(config.path(prefix + "KAFKA_SSL_TRUSTSTORE_TYPE").asText()).isEqualTo("PEM");
        String trustStore = config.path(prefix + "KAFKA_SSL_TRUSTSTORE_LOCATION").asText();
        JsonNode mount = StreamSupport.stream(container.path("volumeMounts").spliterator(), false)
                .filter(m -> trustStore.startsWith(m.path("mountPath").asText() + "/")).findFirst().orElseThrow();
        JsonNode volume = StreamSupport.stream(pod.path("volumes").spliterator(), false)
                .filter(v -> v.path("name").asText().equals(mount.path("name").asText())).findFirst().orElseThrow();
        assertThat(volume.path("secret").path("secretName").asText()).isEqualTo("kafka-cluster-ca-cert");
    }

    private static List<JsonNode> rendered(String overlay) throws Exception {
        Process kubectl = new ProcessBuilder("kubectl", "kustomize", ROOT.resolve(overlay).toString()).redirectErrorStream(true).start();
        String yaml = new String(kubectl.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(kubectl.waitFor()).as("kubectl kustomize %s: %s", overlay, yaml).isZero();
        List<JsonNode> documents = new ArrayList<>();
        try (var parser = new YAMLFactory().createParser(yaml)) {
            YAML.readValues(parser, JsonNode.class).forEachRemaining(documents::add);
        }
        return documents;
    }

    private static JsonNode named(List<JsonNode> documents, String kind, String name) {
        return documents.stream().filter(doc -> doc.path("kind").asText().equals(kind) && doc.path("metadata").path("name").asText().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    private static JsonNode topic(List<JsonNode> documents, String topicName) {
        return documents.stream().filter(doc -> doc.path("kind").asText().equals("KafkaTopic")
                && doc.path("spec").path("topicName").asText().equals(topicName)).findFirst()
                .orElseThrow(() -> new AssertionError("no KafkaTopic for " + topicName));
    }

    /** What every pod of the hub has: no service-account token, spread over nodes, a disruption budget. */
    private static void assertPodHygiene(List<JsonNode> documents, JsonNode pod, String name) {
        assertThat(pod.path("automountServiceAccountToken").asBoolean(true)).as("%s mounts no token", name).isFalse();
        assertThat(pod.path("topologySpreadConstraints").get(0).path("topologyKey").asText()).isEqualTo("kubernetes.io/hostname");
        assertThat(documents).as("%s has a PodDisruptionBudget", name)
                .anyMatch(doc -> doc.path("kind").asText().equals("PodDisruptionBudget")
                        && doc.path("spec").path("selector").path("matchLabels").path("app.kubernetes.io/name").asText().equals(name));
    }

    private static JsonNode envEntry(JsonNode env, String name) {
        for (JsonNode entry : env) {
            if (entry.path("name").asText().equals(name)) {
                return entry;
            }
        }
        throw new AssertionError("no env " + name + " in " + env);
    }

    @Test
    void prometheusObjectsCarryTheReleaseLabelKubePrometheusStackSelectsOn() throws IOException {
        for (String file : List.of("servicemonitor.yaml", "prometheusrule.yaml")) {
            assertThat(documents(BASE.resolve(file)).get(0).path("metadata").path("labels").path("release").asText())
                    .as(file).isNotEmpty();
        }
        assertThat(documents(BASE.resolve("servicemonitor.yaml")).get(0).path("spec").path("selector").path("matchLabels")
                .path("app.kubernetes.io/instance").asText()).isEqualTo("lineage-hub");
    }

    @ParameterizedTest
    @MethodSource("components")
    void theExampleOverlayAndComposeSetOnlyVariablesTheConsumerReadsAndNoSecretInAConfigMap(Component consumer) throws IOException {
        JsonNode overlay = YAML.readTree(ROOT.resolve("deploy/overlays/example/kustomization.yaml").toFile());
        List<String> literals = new ArrayList<>();
        overlay.path("configMapGenerator").forEach(generator -> {
            if (generator.path("name").asText().equals(consumer.name())) {
                generator.path("literals").forEach(literal -> literals.add(literal.asText().split("=", 2)[0]));
            }
        });
        Set<String> overlaySecrets = envFile(ROOT.resolve("deploy/overlays/example/secrets/" + consumer.name() + ".env")).keySet();
        assertThat(literals).isNotEmpty().allMatch(consumer::reads).doesNotContainAnyElementsOf(consumer.secrets())
                .noneMatch(DeployConfigTest::looksSecret);
        assertThat(overlaySecrets).allMatch(consumer::reads);

        JsonNode service = YAML.readTree(ROOT.resolve("docker-compose.yml").toFile()).path("services").path(consumer.name());
        assertThat(service.isObject()).as("docker-compose.yml has a %s service", consumer).isTrue();
        List<String> composeVariables = new ArrayList<>();
        service.path("environment").fieldNames().forEachRemaining(composeVariables::add);
        assertThat(composeVariables).isNotEmpty().allMatch(consumer::reads);
        assertThat(service.path("command").get(0).asText()).isEqualTo(consumer.mainClass());
        assertThat(service.path("healthcheck").path("test").toString())
                .contains("localhost/" + consumer.healthPort()).contains(consumer.healthPath());
    }

    @Test
    void ingestApiIsServedWithItsConfigAHealthProbeAndAnExampleIngress() throws IOException {
        List<JsonNode> documents = documents(BASE.resolve("ingest-api/deployment.yaml"));
        JsonNode deployment = documents.stream()
                .filter(doc -> doc.path("kind").asText().equals("Deployment")).findFirst().orElseThrow();
        assertPodHygiene(documents, deployment.path("spec").path("template").path("spec"), "ingest-api");
        Map<String, String> config = envFile(BASE.resolve("ingest-api/config.env"));
        JsonNode container = deployment.path("spec").path("template").path("spec").path("containers").get(0);
        assertThat(container.path("args").get(0).asText()).isEqualTo(IngestApi.class.getName());
        assertThat(container.path("envFrom").findValuesAsText("name")).containsExactly("ingest-api", "ingest-api");
        assertThat(container.path("ports").get(0).path("containerPort").asInt()).isEqualTo(Integer.parseInt(config.get(IngestSettings.PORT)));
        assertThat(container.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/api/v1/health");
        // The whole stop fits in the pod's grace: preStop, the API's grace and drain, the producer's flush.
        long stopMs = container.path("lifecycle").path("preStop").path("sleep").path("seconds").asLong() * 1000
                + Long.parseLong(config.get(IngestSettings.SHUTDOWN_GRACE_MS)) + Long.parseLong(config.get(IngestSettings.SHUTDOWN_TIMEOUT_MS))
                + Long.parseLong(config.get(IngestSettings.PUBLISH_TIMEOUT_MS));
        assertThat(container.path("lifecycle").path("preStop").path("sleep").path("seconds").asLong()).isPositive();
        assertThat(deployment.path("spec").path("template").path("spec").path("terminationGracePeriodSeconds").asLong() * 1000)
                .isGreaterThan(stopMs);
        JsonNode service = documents(BASE.resolve("ingest-api/deployment.yaml")).stream()
                .filter(doc -> doc.path("kind").asText().equals("Service")).findFirst().orElseThrow();
        JsonNode ingress = YAML.readTree(ROOT.resolve("deploy/overlays/example/ingress.yaml").toFile());
        assertThat(ingress.findValue("service").path("name").asText()).isEqualTo(service.path("metadata").path("name").asText());
        assertThat(ingress.findValue("service").path("port").path("name").asText())
                .isEqualTo(service.path("spec").path("ports").get(0).path("name").asText());
    }

    /** The compose services as Compose sees them: SnakeYAML resolves the anchors and `<<` merge keys Jackson leaves alone. */
    private static Map<String, JsonNode> composeServices() throws IOException {
        Object compose;
        try (var reader = Files.newBufferedReader(ROOT.resolve("docker-compose.yml"))) {
            compose = new org.yaml.snakeyaml.Yaml().load(reader);
        }
        Map<String, JsonNode> services = new LinkedHashMap<>();
        YAML.valueToTree(compose).path("services").fields().forEachRemaining(service -> services.put(service.getKey(), service.getValue()));
        return services;
    }

    @Test
    void everyComposeImageIsPinnedAndTheHubsImageIsBuiltOnce() throws IOException {
        Map<String, JsonNode> services = composeServices();
        List<String> builders = new ArrayList<>();
        services.forEach((name, service) -> {
            String image = service.path("image").asText();
            assertThat(image).as("%s names its image", name).isNotEmpty();
            String tag = image.contains(":") ? image.substring(image.lastIndexOf(':') + 1) : "";
            if (!image.startsWith("lineage-hub:")) {
                // Pulled images: a version in the tag, so `docker compose up` next month runs the same thing.
                assertThat(tag).as("%s's image %s has a pinned tag", name, image).isNotEmpty().isNotEqualTo("latest").containsPattern("\\d");
            }
            if (service.has("build")) {
                builders.add(name);
            }
        });
        assertThat(builders).as("services that build the hub's image").containsExactly("ingest-api");
        assertThat(services.values().stream().filter(s -> s.path("image").asText().startsWith("lineage-hub:")).count())
                .as("services running the hub's image").isGreaterThanOrEqualTo(4);
    }

    @Test
    void everyServiceWaitedForHasAHealthCheckOrIsAOneShotJob() throws IOException {
        Map<String, JsonNode> services = composeServices();
        services.forEach((name, service) -> service.path("depends_on").fields().forEachRemaining(dependency -> {
            JsonNode target = services.get(dependency.getKey());
            assertThat(target).as("%s depends on %s, which exists", name, dependency.getKey()).isNotNull();
            String condition = dependency.getValue().path("condition").asText();
            if (condition.equals("service_completed_successfully")) {
                assertThat(target.has("restart")).as("%s is a one-shot job", dependency.getKey()).isFalse();
            } else {
                assertThat(condition).as("%s waits for %s to be healthy, not just started", name, dependency.getKey())
                        .isEqualTo("service_healthy");
                assertThat(target.path("healthcheck").path("test").isArray()).as("%s has a health check", dependency.getKey()).isTrue();
            }
        }));
    }

    @Test
    void marquezGetsOnlyWhatItsImageReadsAndNoSearch() throws IOException {
        JsonNode marquez = composeServices().get("marquez");
        Set<String> variables = new HashSet<>();
        marquez.path("environment").fieldNames().forEachRemaining(variables::add);
        // What marquezproject/marquez reads from its environment (its marquez.yml and entrypoint).
        assertThat(variables).isSubsetOf("MARQUEZ_PORT", "MARQUEZ_ADMIN_PORT", "MARQUEZ_CONFIG", "POSTGRES_HOST", "POSTGRES_PORT",
                "SEARCH_ENABLED", "SEARCH_HOST", "SEARCH_PORT", "MIGRATE_ON_STARTUP", "LOG_LEVEL");
        assertThat(marquez.path("environment").path("SEARCH_ENABLED").asText()).isEqualTo("false");
        assertThat(marquez.path("healthcheck").path("test").toString()).contains("5001").contains("/healthcheck");
    }

    @Test
    void thePrometheusRuleCarriesExactlyTheAlertsPrometheusLoadsInCompose() throws IOException {
        JsonNode alerts = YAML.readTree(ROOT.resolve("deploy/prometheus/alerts.yml").toFile());
        JsonNode rule = YAML.readTree(BASE.resolve("prometheusrule.yaml").toFile());
        assertThat(rule.path("kind").asText()).isEqualTo("PrometheusRule");
        assertThat(rule.path("spec").path("groups")).isEqualTo(alerts.path("groups"));
        assertThat(alerts.findValuesAsText("alert")).contains("LineageHubConsumerLagGrowing", "LineageHubDeadLetters",
                "LineageHubSinkErrors", "LineageHubNotReady");
    }

    @Test
    void theDashboardShowsThroughputLagDeadLettersLatencyAndRetries() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(BASE.resolve("grafana/lineage-hub.json").toFile());
        String queries = String.join("\n", dashboard.findValuesAsText("expr"));
        assertThat(queries).contains("lineagehub_delivered_total", "records_lag_max", "lineagehub_dead_lettered_total",
                "lineagehub_delivery_seconds_bucket", "lineagehub_retries_total", "lineagehub_partition_stalled", "lineagehub_sink_up");
    }

    private static boolean looksSecret(String variable) {
        return variable.contains("PASSWORD") || variable.contains("JAAS") || variable.contains("TOKEN") || variable.contains("API_KEY");
    }

    /** KEY=value lines as kustomize reads them; comments and blank lines skipped. */
    private static Map<String, String> envFile(Path file) throws IOException {
        Map<String, String> entries = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] pair = line.split("=", 2);
            assertThat(entries.put(pair[0], pair.length > 1 ? pair[1] : "")).as("%s sets %s twice", file, pair[0]).isNull();
        }
        return entries;
    }

    private static List<JsonNode> documents(Path file) throws IOException {
        List<JsonNode> documents = new ArrayList<>();
        try (var parser = new YAMLFactory().createParser(file.toFile())) {
            YAML.readValues(parser, JsonNode.class).forEachRemaining(documents::add);
        }
        return documents;
    }
}
