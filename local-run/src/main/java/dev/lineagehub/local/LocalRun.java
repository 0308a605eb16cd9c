package dev.lineagehub.local;

import dev.lineagehub.datahub.DataHubConsumer;
import dev.lineagehub.ingest.IngestApi;
import dev.lineagehub.ingest.auth.ApiKeys;
import dev.lineagehub.lineage.LineageConsumer;
import dev.lineagehub.local.traffic.LineageTraffic;
import dev.lineagehub.local.traffic.TelemetryTraffic;
import dev.lineagehub.otel.OtelConsumer;
import dev.lineagehub.testing.clickhouse.ClickHouseEngine;
import dev.lineagehub.testing.clickhouse.ClickHouseHttpFixture;
import dev.lineagehub.runtime.ConsumerDefinition;
import dev.lineagehub.runtime.ConsumerRuntime;
import dev.lineagehub.testing.RealKafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * {@code ./lineage-hub run}: the whole pipeline on one machine with no Docker. A real KRaft broker, the
 * real ClickHouse engine (chDB behind its HTTP interface), the three consumers and a traffic generator,
 * in one JVM; Ctrl-C (or {@code seconds=N}) stops it and prints what each sink received.
 *
 * <p>Marquez and DataHub cannot run here: when {@code LINEAGEHUB_LINEAGE_URL} / {@code LINEAGEHUB_DATAHUB_GMS_URL} are set the
 * consumers deliver there, otherwise they write OpenLineage NDJSON and DataHub's MCP file format.
 */
public final class LocalRun {

    static final String LINEAGE_TOPIC = "openlineage-events";
    static final String SPANS_TOPIC = "otlp_spans";
    static final String METRICS_TOPIC = "otlp_metrics";
    static final String LOGS_TOPIC = "otlp_logs";
    static final int PARTITIONS = 4;

    private final Path output;
    private final int seconds;
    private final int cyclesPerSecond;
    private final Map<String, String> env;
    private final List<AutoCloseable> running = new ArrayList<>();
    private final List<SinkReport> reports = new ArrayList<>();
    private String bootstrap;
    private URI ingestUrl;
    private String sparkKey;
    private ClickHouseHttpFixture clickhouse;

    LocalRun(Path output, int seconds, int cyclesPerSecond, Map<String, String> env) {
        this.output = output;
        this.seconds = seconds;
        this.cyclesPerSecond = cyclesPerSecond;
        this.env = env;
    }

    /** Arguments as name=value: {@code seconds} (0: until Ctrl-C), {@code rate} (cycles/s), {@code output} (directory). */
    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                System.err.println("arguments are name=value: seconds=0 rate=2 output=local-run-output");
                System.exit(2);
            }
            options.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        Path output = Path.of(options.getOrDefault("output", "local-run-output")).toAbsolutePath();
        freshDirectory(output);
        // Before the first logger exists: the consumers' logs go to a file, the console shows progress.
        System.setProperty("org.slf4j.simpleLogger.logFile", output.resolve("lineage-hub.log").toString());
        LocalRun run = new LocalRun(output, Integer.parseInt(options.getOrDefault("seconds", "0")),
                Integer.parseInt(options.getOrDefault("rate", "2")), System.getenv());
        System.exit(run.run());
    }

    int run() throws Exception {
        CountDownLatch stop = new CountDownLatch(1);
        // Handled here rather than in a shutdown hook, so the stop is orderly and the exit status 0.
        sun.misc.Signal.handle(new sun.misc.Signal("INT"), signal -> stop.countDown());
        sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> stop.countDown());
        System.out.println("lineage-hub local run; output in " + output + " (logs: " + output.resolve("lineage-hub.log") + ")");
        try {
            start();
            ScheduledExecutorService traffic = startTraffic();
            running.add(0, traffic::shutdownNow);
            System.out.println("Running. Progress every 10 s; " + (seconds > 0 ? "stopping after " + seconds + " s." : "Ctrl-C stops."));
            long deadline = seconds > 0 ? System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds) : Long.MAX_VALUE;
            while (!stop.await(10, TimeUnit.SECONDS) && System.nanoTime() < deadline) {
                reports.forEach(report -> System.out.println("  " + report.progressLine()));
            }
            traffic.shutdown();
            traffic.awaitTermination(10, TimeUnit.SECONDS);
            System.out.println("Stopping: letting the consumers deliver what is in flight ...");
            SinkReport.awaitDrained(reports, 30);
            List<String> counts = reports.stream().map(SinkReport::countsLine).toList();
            // Closed before the outputs are read: the DataHub file is complete only once its consumer stopped.
            closeAll(ConsumerRuntime.class::isInstance);
            System.out.println();
            System.out.print(SinkReport.summary(reports, counts));
            System.out.println("  " + ingestLine());
            return 0;
        } finally {
            closeAll(resource -> true);
        }
    }

    private void start() throws Exception {
        RealKafka.Broker broker = step("Kafka broker (KRaft)", RealKafka::startEmbedded);
        running.add(0, broker);
        bootstrap = broker.kafka().bootstrapServers();
        step("topics " + LINEAGE_TOPIC + ", " + SPANS_TOPIC + ", " + METRICS_TOPIC + ", " + LOGS_TOPIC + " (" + PARTITIONS
                + " partitions each)", () -> {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                admin.createTopics(List.of(LINEAGE_TOPIC, SPANS_TOPIC, METRICS_TOPIC, LOGS_TOPIC).stream()
                        .map(topic -> new NewTopic(topic, PARTITIONS, (short) 1)).toList()).all().get(60, TimeUnit.SECONDS);
            }
            return null;
        });
        clickhouse = step("ClickHouse engine (chDB, data in " + output.resolve("clickhouse") + ")",
                () -> new ClickHouseHttpFixture(ClickHouseEngine.inThisJvm(output.resolve("clickhouse"))));
        running.add(0, clickhouse);

        Sinks sinks = new Sinks(output, env, clickhouse);
        startConsumer("lineage-consumer", new LineageConsumer(), sinks.lineage(bootstrap), broker, List.of(LINEAGE_TOPIC),
                sinks.lineageOutput());
        startConsumer("datahub-consumer", new DataHubConsumer(), sinks.datahub(bootstrap), broker, List.of(LINEAGE_TOPIC),
                sinks.datahubOutput());
        startConsumer("otel-consumer", new OtelConsumer(), sinks.otel(bootstrap), broker,
                List.of(SPANS_TOPIC, METRICS_TOPIC, LOGS_TOPIC, LINEAGE_TOPIC), sinks.otelOutput());
        startIngestApi();
        System.out.println("Workers on lineage-sdk: LINEAGE_SDK_TRANSPORT=kafka LINEAGE_SDK_KAFKA_BOOTSTRAP_SERVERS=" + bootstrap
                + " LINEAGE_SDK_NAMESPACE=example-workers ./lineage-hub worker");
    }

    /**
     * ingest-api in front of the same broker, with keys: the Spark job's namespace gets an API key, and the
     * dataset namespaces its events name are registered for the same owner on first write.
     */
    private void startIngestApi() throws Exception {
        String adminKey = ApiKeys.generate();
        IngestApi api = step("ingest-api", () -> IngestApi.start(Map.of(
                "LINEAGEHUB_INGEST_KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                "LINEAGEHUB_INGEST_PORT", env.getOrDefault("LINEAGEHUB_INGEST_PORT", "8090"),
                "LINEAGEHUB_INGEST_ADMIN_KEY", adminKey,
                "LINEAGEHUB_INGEST_AUTO_CREATE_NAMESPACES", "true")));
        running.add(0, api);
        ingestUrl = URI.create("http://localhost:" + api.port());
        HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(ingestUrl.resolve("/api/v1/namespaces"))
                .header("Authorization", "Bearer " + adminKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"spark-local\",\"owner\":\"data-platform\","
                        + "\"description\":\"the local run's Spark jobs\"}")).build(), HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 201) {
            throw new IllegalStateException("ingest-api did not create the spark-local namespace: " + created.body());
        }
        sparkKey = new ObjectMapper().readTree(created.body()).path("apiKey").asText();
        System.out.println("  " + ingestUrl + "/api/v1/lineage, /v1/traces|metrics|logs; docs on " + ingestUrl + "/docs; admin key "
                + adminKey);
    }

    private void startConsumer(String name, ConsumerDefinition definition, Map<String, String> settings,
                               RealKafka.Broker broker, List<String> topics, SinkReport.Output output) throws Exception {
        ConsumerRuntime consumer = step(name, () -> ConsumerRuntime.start(definition, settings));
        System.out.println("  metrics and health on http://localhost:" + consumer.adminPort() + "/metrics, /health/ready; output: "
                + output.location());
        running.add(0, consumer);
        reports.add(new SinkReport(name, consumer, broker.kafka(), topics, output));
    }

    private ScheduledExecutorService startTraffic() throws Exception {
        LineageTraffic lineage = new LineageTraffic(bootstrap, LINEAGE_TOPIC, ingestUrl, sparkKey);
        TelemetryTraffic telemetry = new TelemetryTraffic(bootstrap, SPANS_TOPIC, METRICS_TOPIC, LOGS_TOPIC, ingestUrl, sparkKey);
        running.add(0, lineage);
        running.add(0, telemetry);
        publishMalformed(bootstrap);
        AtomicInteger cycle = new AtomicInteger();
        ScheduledExecutorService traffic = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "traffic"));
        traffic.scheduleAtFixedRate(() -> {
            int n = cycle.incrementAndGet();
            try {
                lineage.cycle(n);
                telemetry.cycle(n);
            } catch (RuntimeException e) {
                // A thrown exception would cancel the schedule without a word.
                System.err.println("traffic cycle " + n + " failed: " + e);
            }
        }, 0, 1000 / Math.max(1, cyclesPerSecond), TimeUnit.MILLISECONDS);
        System.out.println("Traffic: " + cyclesPerSecond + " cycles/s; each is two workers on lineage-sdk, a DAG run (extract, then two"
                + " loads of its output; Kafka transport) and a failing Spark job (HTTP transport into ingest-api), one trace of 6 spans and"
                + " 3 metrics (OTLP protobuf to Kafka), and an OTel SDK counter exported over OTLP/HTTP to ingest-api");
        return traffic;
    }

    /** What came in through ingest-api and reached the sinks: the Spark job's events, the SDK's counter points. */
    private String ingestLine() throws IOException {
        long spark;
        try (Stream<String> lines = Files.lines(output.resolve("openlineage.ndjson"))) {
            spark = lines.filter(line -> line.contains("\"sessions_rollup\"")).count();
        } catch (java.nio.file.NoSuchFileException e) {
            spark = 0; // lineage-consumer delivered to a Marquez, not to the file
        }
        String sdkPoints = clickhouse.query("SELECT count() FROM otel.otel_metrics_sum WHERE MetricName = 'orders.checked_out'");
        return "ingest-api          Spark events over HTTP in openlineage.ndjson: " + spark
                + ", OTel SDK metric points over OTLP/HTTP in ClickHouse: " + sdkPoints;
    }

    /** One record per input topic that no consumer can use, so the dead-letter topics have something to show. */
    private static void publishMalformed(String bootstrap) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(LINEAGE_TOPIC, "{\"eventType\":\"START\",\"job\":{}}".getBytes(StandardCharsets.UTF_8)));
            producer.send(new ProducerRecord<>(SPANS_TOPIC, "not an OTLP export request".getBytes(StandardCharsets.UTF_8)));
        }
        System.out.println("Published one malformed record to " + LINEAGE_TOPIC + " and one to " + SPANS_TOPIC
                + ": they must end in the dead-letter topics");
    }

    private static void freshDirectory(Path output) throws IOException {
        if (Files.exists(output)) {
            System.out.println("Removing the previous local run's output in " + output);
            try (Stream<Path> paths = Files.walk(output)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
        Files.createDirectories(output);
    }

    @FunctionalInterface
    private interface Step<T> {
        T run() throws Exception;
    }

    /** Runs a start-up step; what libraries print meanwhile (Kafka's formatter, Pegasus' ANTLR) goes to the log. */
    private <T> T step(String what, Step<T> step) throws Exception {
        PrintStream console = System.out;
        PrintStream consoleErr = System.err;
        console.print("Starting " + what + " ... ");
        console.flush();
        long start = System.nanoTime();
        T result;
        try (PrintStream log = new PrintStream(new FileOutputStream(output.resolve("lineage-hub.log").toFile(), true), true)) {
            System.setOut(log);
            System.setErr(log);
            result = step.run();
        } finally {
            System.setOut(console);
            System.setErr(consoleErr);
        }
        console.printf("ready in %.1f s%n", (System.nanoTime() - start) / 1e9);
        return result;
    }

    private void closeAll(Predicate<AutoCloseable> which) {
        for (AutoCloseable resource : List.copyOf(running)) {
            if (which.test(resource)) {
                try {
                    resource.close();
                } catch (Exception e) {
                    System.err.println("while stopping: " + e);
                }
                running.remove(resource);
            }
        }
    }
}
