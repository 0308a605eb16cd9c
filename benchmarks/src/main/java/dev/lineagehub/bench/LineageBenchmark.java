package dev.lineagehub.bench;

import dev.lineagehub.protocol.TransportKey;
import dev.lineagehub.lineage.LineageConsumer;
import dev.lineagehub.lineage.MarquezDouble;
import dev.lineagehub.testing.ConsumerProcess;
import dev.lineagehub.testing.RealKafka;
import dev.lineagehub.testing.SampleEvents;
import dev.lineagehub.testing.TestKafka;

import io.openlineage.client.OpenLineage;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * lineage-consumer against the Marquez double with a fixed latency, next to a direct concurrent POST
 * loop against the same kind of double in the same run.
 *
 * <p>Throughput: a backlog of interleaved runs is delivered; events/s counts from the first to the
 * last event the double accepted. Latency: events are produced at a fixed rate and timed from the
 * send call to the moment the double accepted them. The consumer runs in its own JVM with the heap
 * limit under test, with the same number of requests in flight as the direct loop.
 *
 * <p>The default, 8 in flight per partition (32 in all), keeps the double a 5 ms sink on a 2-core
 * machine: with more, its validation saturates the CPU that both sides share, its answers wait for
 * CPU, and the comparison measures which side leaves it more CPU. The run prints the double's mean
 * answer time so that this can be checked; {@code inFlight=32} is the consumer's own default.
 */
public final class LineageBenchmark {

    private final int events;
    private final int partitions;
    private final int inFlight;
    private final Duration latency;
    private final int rate;
    private final int seconds;
    private final String heap;
    private final int rounds;
    private final int warmups;
    private final Map<String, String> overrides;

    private LineageBenchmark(Options options) {
        this.events = options.integer("events", 30_000);
        this.partitions = options.integer("partitions", 4);
        this.inFlight = options.integer("inFlight", 8);
        this.latency = Duration.ofMillis(options.integer("latencyMs", 5));
        this.rate = options.integer("rate", 1_000);
        this.seconds = options.integer("seconds", 10);
        this.heap = options.string("heap", "256m");
        this.rounds = options.integer("rounds", 9);
        this.warmups = options.integer("warmups", 4);
        // LINEAGEHUB_LINEAGE_* settings, and JAVA_TOOL_OPTIONS to profile the consumer JVM (e.g. with JFR).
        this.overrides = options.withPrefix("LINEAGEHUB_LINEAGE_");
        this.overrides.putAll(options.withPrefix("JAVA_TOOL_OPTIONS"));
    }

    public static void main(String[] args) throws Exception {
        new LineageBenchmark(new Options(args)).run();
        System.exit(0);
    }

    private void run() throws Exception {
        int concurrency = partitions * inFlight;
        System.out.printf("lineage-consumer benchmark: %d events, %d partitions x %d in flight = %d concurrent requests, "
                + "double latency %d ms, consumer heap %s; paced phase %d events/s for %d s%n",
                events, partitions, inFlight, concurrency, latency.toMillis(), heap, rate, seconds);
        if (!overrides.isEmpty()) {
            System.out.println("consumer settings: " + overrides);
        }
        List<OpenLineage.RunEvent> backlog = SampleEvents.interleaved(newRuns(events / 3));
        long backlogBytes = backlog.stream().mapToLong(e -> SampleEvents.json(e).length).sum();
        System.out.printf("events average %d bytes%n", backlogBytes / backlog.size());

        Vertx vertx = Vertx.vertx();
        ConsumerAdmin admin = new ConsumerAdmin();
        try (RealKafka.Broker broker = RealKafka.start();
             MarquezDouble marquez = new MarquezDouble().latency(latency)) {
            TestKafka kafka = broker.kafka();
            String topic = kafka.newTopic("openlineage-events", partitions);
            try (ConsumerProcess process = startConsumer(kafka, topic, marquez, admin)) {
                Consumer consumer = new Consumer(kafka, topic, marquez, admin, process);
                // Both sides measured warm, as they run in production: the first passes JIT-compile the
                // consumer's JVM and the double's validation in this one; their figures are not reported.
                for (int warmup = 0; warmup < warmups; warmup++) {
                    consumerRound(consumer, SampleEvents.interleaved(newRuns(events / 3)), List.of());
                    direct(vertx, concurrency, backlog, List.of());
                }
                measure(vertx, concurrency, consumer);
                process.stop();
            }
        } finally {
            vertx.close().await();
        }
    }

    /** The consumer under test, running in its own JVM, and what it reads from and delivers to. */
    private record Consumer(TestKafka kafka, String topic, MarquezDouble marquez, ConsumerAdmin admin, ConsumerProcess process) {
    }

    private void measure(Vertx vertx, int concurrency, Consumer consumerUnderTest) throws Exception {
        // Rounds alternate the two so that both see the same machine; on 2 shared cores one run is noisy.
        List<Double> ratios = new ArrayList<>();
        List<Double> directRates = new ArrayList<>();
        printHeader();
        for (int round = 1; round <= rounds; round++) {
            List<OpenLineage.RunEvent> backlog = SampleEvents.interleaved(newRuns(events / 3));
            List<OpenLineage.RunEvent> paced = SampleEvents.interleaved(newRuns(rate * seconds / 3));
            Result direct = direct(vertx, concurrency, backlog, paced);
            Result consumer = consumerRound(consumerUnderTest, backlog, paced);
            row(round, "direct concurrent POST loop", direct);
            row(round, "lineage-consumer (-Xmx" + heap + ")", consumer);
            ratios.add(consumer.eventsPerSecond() / direct.eventsPerSecond());
            directRates.add(direct.eventsPerSecond());
        }
        System.out.printf("%nlineage-consumer, share of the direct loop's events/s: %s%n", Rounds.share(ratios));
        // Little's law: requests in flight / requests per second = time each spends at the double.
        System.out.printf("the double answered the direct loop in %.1f ms on average (%d in flight / median events/s); "
                + "configured latency %d ms%n", 1000 * concurrency / Rounds.median(directRates), concurrency, latency.toMillis());
    }

    /**
     * cpuMsPerThousand: CPU used while the backlog was delivered, per 1 000 events: this JVM (broker,
     * double, direct loop) and, in a consumer round, the consumer's JVM too.
     */
    private record Result(double eventsPerSecond, double cpuMsPerThousand, Latencies latencies, int orderViolations,
                          double maxHeapMb) {
    }

    /** CPU time this JVM (broker, double, direct loop) has used so far, all threads. */
    private static long benchmarkCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private Result direct(Vertx vertx, int concurrency, List<OpenLineage.RunEvent> backlog,
                          List<OpenLineage.RunEvent> paced) throws Exception {
        try (MarquezDouble marquez = new MarquezDouble().latency(latency)) {
            WebClient client = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true),
                    new PoolOptions().setHttp1MaxSize(concurrency));
            List<Buffer> bodies = backlog.stream().map(e -> Buffer.buffer(SampleEvents.json(e))).toList();
            AtomicInteger next = new AtomicInteger();
            CountDownLatch done = new CountDownLatch(bodies.size());
            long cpuBefore = benchmarkCpuNanos();
            for (int worker = 0; worker < concurrency; worker++) {
                postNext(client, marquez.url(), bodies, next, done);
            }
            if (!done.await(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException("direct loop did not finish");
            }
            double throughput = throughput(marquez.received());
            double cpu = (benchmarkCpuNanos() - cpuBefore) / 1e6 / (bodies.size() / 1000.0);
            System.out.println("direct: most concurrent requests at the double " + marquez.maxConcurrentRequests());

            Map<String, Long> sent = new ConcurrentHashMap<>();
            pace(paced, event -> {
                sent.put(id(event), System.nanoTime());
                client.postAbs(marquez.url() + "/api/v1/lineage").putHeader("Content-Type", "application/json")
                        .sendBuffer(Buffer.buffer(SampleEvents.json(event)));
            });
            awaitCount(marquez, backlog.size() + paced.size());
            client.close();
            List<MarquezDouble.Received> received = marquez.received();
            return new Result(throughput, cpu, latencies(received, sent), orderViolations(received), Double.NaN);
        }
    }

    private static void postNext(WebClient client, String url, List<Buffer> bodies, AtomicInteger next, CountDownLatch done) {
        int index = next.getAndIncrement();
        if (index >= bodies.size()) {
            return;
        }
        client.postAbs(url + "/api/v1/lineage").putHeader("Content-Type", "application/json").sendBuffer(bodies.get(index))
                .onComplete(response -> {
                    if (response.failed() || response.result().statusCode() != 201) {
                        throw new IllegalStateException("direct POST failed: " + (response.failed()
                                ? response.cause() : response.result().bodyAsString()));
                    }
                    done.countDown();
                    postNext(client, url, bodies, next, done);
                });
    }

    private ConsumerProcess startConsumer(TestKafka kafka, String topic, MarquezDouble marquez, ConsumerAdmin admin)
            throws Exception {
        return ConsumerProcess.start(LineageConsumer.class, consumerEnv(Map.of(
                "LINEAGEHUB_LINEAGE_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "LINEAGEHUB_LINEAGE_KAFKA_APPLICATION_ID", "lineage-bench-" + topic,
                "LINEAGEHUB_LINEAGE_KAFKA_STATE_DIR", Files.createTempDirectory("streams").toString(),
                "LINEAGEHUB_LINEAGE_TOPIC", topic,
                "LINEAGEHUB_LINEAGE_URL", marquez.url(),
                "LINEAGEHUB_LINEAGE_MAX_IN_FLIGHT", String.valueOf(inFlight),
                "LINEAGEHUB_LINEAGE_MAX_CONNECTIONS", String.valueOf(partitions * inFlight),
                "LINEAGEHUB_LINEAGE_ADMIN_PORT", String.valueOf(admin.port()))), heap);
    }

    /** One round through the running consumer: a backlog, then the paced phase; counts only this round's events. */
    private Result consumerRound(Consumer consumer, List<OpenLineage.RunEvent> backlog, List<OpenLineage.RunEvent> paced)
            throws Exception {
        MarquezDouble marquez = consumer.marquez();
        TestKafka kafka = consumer.kafka();
        String topic = consumer.topic();
        // Earlier rounds' bodies would grow the double's heap round by round, and the GC work with it.
        marquez.forgetReceived();
        // The backlog is in the topic before the consumer may deliver any of it, as after an outage or a
        // burst; otherwise the round times this JVM's producer (~3 500 events/s here), not the consumer.
        marquez.hold();
        try (KafkaProducer<byte[], byte[]> producer = backlogProducer(kafka)) {
            for (OpenLineage.RunEvent event : backlog) {
                producer.send(new ProducerRecord<>(topic, TransportKey.bytesOf(event), SampleEvents.json(event)));
            }
            producer.flush();
        } finally {
            marquez.release();
        }
        long cpuBefore = benchmarkCpuNanos() + consumer.process().cpuTime().toNanos();
        awaitCount(marquez, backlog.size(), consumer.admin());
        double cpu = (benchmarkCpuNanos() + consumer.process().cpuTime().toNanos() - cpuBefore) / 1e6 / (backlog.size() / 1000.0);
        double throughput = throughput(marquez.received().subList(0, backlog.size()));

        Map<String, Long> sent = new ConcurrentHashMap<>();
        pace(paced, event -> {
            sent.put(id(event), System.nanoTime());
            kafka.send(topic, TransportKey.bytesOf(event), SampleEvents.json(event));
        });
        awaitCount(marquez, backlog.size() + paced.size(), consumer.admin());
        List<MarquezDouble.Received> received = marquez.received();
        return new Result(throughput, cpu, latencies(received, sent), orderViolations(received), consumer.admin().maxHeapMb());
    }

    /** Large batches, one request in flight (order kept on retries): the backlog is written in a few seconds. */
    private static KafkaProducer<byte[], byte[]> backlogProducer(TestKafka kafka) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false,
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1,
                ProducerConfig.BATCH_SIZE_CONFIG, 1 << 20,
                ProducerConfig.LINGER_MS_CONFIG, 20),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Adds the consumer options given on the command line, e.g. LINEAGEHUB_LINEAGE_KAFKA_COMMIT_INTERVAL_MS=5000. */
    private Map<String, String> consumerEnv(Map<String, String> base) {
        Map<String, String> env = new HashMap<>(base);
        env.putAll(overrides);
        return env;
    }

    private void pace(List<OpenLineage.RunEvent> paced, java.util.function.Consumer<OpenLineage.RunEvent> send) throws InterruptedException {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        CountDownLatch sentAll = new CountDownLatch(paced.size());
        long periodNanos = TimeUnit.SECONDS.toNanos(1) / rate;
        for (int i = 0; i < paced.size(); i++) {
            OpenLineage.RunEvent event = paced.get(i);
            timer.schedule(() -> {
                send.accept(event);
                sentAll.countDown();
            }, i * periodNanos, TimeUnit.NANOSECONDS);
        }
        sentAll.await();
        timer.shutdown();
    }

    private static void awaitCount(MarquezDouble marquez, int count) throws InterruptedException {
        awaitCount(marquez, count, null);
    }

    private static void awaitCount(MarquezDouble marquez, int count, ConsumerAdmin heap) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (marquez.received().size() < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(marquez.received().size() + " of " + count + " events arrived in 10 minutes");
            }
            if (heap != null) {
                heap.sampleHeap();
            }
            Thread.sleep(1000);
        }
    }

    private static double throughput(List<MarquezDouble.Received> received) {
        long first = received.get(0).atNanos();
        long last = received.get(received.size() - 1).atNanos();
        return (received.size() - 1) / ((last - first) / 1e9);
    }

    private static Latencies latencies(List<MarquezDouble.Received> received, Map<String, Long> sent) {
        List<Long> nanos = new ArrayList<>();
        for (MarquezDouble.Received r : received) {
            Long at = sent.get(r.runId() + "/" + r.eventType());
            if (at != null) {
                nanos.add(r.atNanos() - at);
            }
        }
        return new Latencies(nanos.stream().mapToLong(Long::longValue).toArray());
    }

    /** Runs whose events the double accepted in another order than START, RUNNING, COMPLETE. */
    private static int orderViolations(List<MarquezDouble.Received> received) {
        Map<String, String> last = new HashMap<>();
        int violations = 0;
        for (MarquezDouble.Received r : received) {
            String previous = last.put(r.runId(), r.eventType());
            boolean inOrder = switch (r.eventType()) {
                case "START" -> previous == null;
                case "RUNNING" -> "START".equals(previous);
                default -> "RUNNING".equals(previous);
            };
            violations += inOrder ? 0 : 1;
        }
        return violations;
    }

    private static void printHeader() {
        System.out.println();
        System.out.println("| round | | events/s (backlog) | CPU ms per 1 000 events | p50 ms (paced) | p99 ms (paced) "
                + "| per-run order violations | max heap used |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|---:|");
    }

    private static void row(int round, String name, Result result) {
        System.out.printf("| %d | %s | %.0f | %.0f | %.1f | %.1f | %d | %s |%n", round, name, result.eventsPerSecond(),
                result.cpuMsPerThousand(),
                result.latencies().percentileMillis(50), result.latencies().percentileMillis(99),
                result.orderViolations(),
                Double.isNaN(result.maxHeapMb()) ? "n/a" : String.format("%.0f MB", result.maxHeapMb()));
    }

    private static List<UUID> newRuns(int count) {
        List<UUID> runs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            runs.add(UUID.randomUUID());
        }
        return runs;
    }

    private static String id(OpenLineage.RunEvent event) {
        return event.getRun().getRunId() + "/" + event.getEventType();
    }
}
