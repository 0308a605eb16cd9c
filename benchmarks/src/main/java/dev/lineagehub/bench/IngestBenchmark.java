package dev.lineagehub.bench;

import dev.lineagehub.ingest.IngestApi;
import dev.lineagehub.ingest.publish.KafkaPublisher;
import dev.lineagehub.protocol.TransportKey;
import dev.lineagehub.testing.ConsumerProcess;
import dev.lineagehub.testing.RealKafka;
import dev.lineagehub.testing.SampleEvents;
import dev.lineagehub.testing.TestKafka;

import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineage.RunEvent.EventType;

import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * ingest-api (its own JVM, small heap) next to a bare KafkaProducer in this JVM sending the same
 * OpenLineage events to the same broker, same run, same concurrency: {@code clients} callers each
 * waiting for their write to be acknowledged before the next (an HTTP 201 for the API, the producer's
 * acks=all future for the bare side). Reports events/s and p50/p99 latency of both.
 *
 * <p>Six warm-up rounds by default: the API's JIT compilers kept both cores busy well into the third
 * round (docs/benchmarks.md has the compile-thread CPU per round), and a server is measured as it
 * runs, warm.
 */
public final class IngestBenchmark {

    /** The API's timer from a request's handler to Kafka's acknowledgement back on the event loop. */
    private static final String PUBLISH_TIME_SUM = "lineagehub_ingest_publish_seconds_sum";
    private static final String PUBLISH_TIME_COUNT = "lineagehub_ingest_publish_seconds_count";

    private final int events;
    private final int clients;
    private final String heap;
    private final int warmups;
    private final int rounds;
    private final Map<String, String> jvmOptions;

    private IngestBenchmark(Options options) {
        this.events = options.integer("events", 20_000);
        this.clients = options.integer("clients", 32);
        this.heap = options.string("heap", "256m");
        this.warmups = options.integer("warmups", 6);
        this.rounds = options.integer("rounds", 5);
        this.jvmOptions = options.withPrefix("JAVA_TOOL_OPTIONS");
    }

    public static void main(String[] args) throws Exception {
        new IngestBenchmark(new Options(args)).run();
        System.exit(0);
    }

    private record Event(byte[] key, byte[] json) {
    }

    private record Result(double eventsPerSecond, Latencies latencies) {
    }

    private void run() throws Exception {
        System.out.printf("ingest-api benchmark: %d OpenLineage events per side and round, %d concurrent callers, API heap %s, "
                + "%d warm-up and %d measured rounds%n", events, clients, heap, warmups, rounds);
        List<Event> stream = new ArrayList<>();
        UUID dagRun = UUID.randomUUID();
        for (int i = 0; i < events; i++) {
            OpenLineage.RunEvent event = SampleEvents.airflowTask(i % 2 == 0 ? EventType.START : EventType.COMPLETE,
                    UUID.randomUUID(), dagRun, "orders_daily_" + (i % 64), "task_" + (i % 20));
            stream.add(new Event(TransportKey.bytes(TransportKey.of(event)), SampleEvents.json(event)));
        }
        System.out.printf("event size: %d bytes%n", stream.get(0).json().length);
        try (RealKafka.Broker broker = RealKafka.start()) {
            TestKafka kafka = broker.kafka();
            String topic = kafka.newTopic("openlineage-events", 4);
            ConsumerAdmin admin = new ConsumerAdmin();
            Map<String, String> env = new java.util.HashMap<>(Map.of(
                    "LINEAGEHUB_INGEST_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(), "LINEAGEHUB_INGEST_PORT", String.valueOf(admin.port()),
                    "LINEAGEHUB_INGEST_LINEAGE_TOPIC", topic, "LINEAGEHUB_INGEST_AUTH", "none", "LINEAGEHUB_INGEST_AUDIT_TOPIC", "",
                    "LINEAGEHUB_INGEST_NAMESPACES_TOPIC", kafka.newTopic("namespaces", 1)));
            // e.g. a flight recording of the API's JVM: JAVA_TOOL_OPTIONS=-XX:StartFlightRecording=...
            env.putAll(jvmOptions);
            try (ConsumerProcess api = ConsumerProcess.start(IngestApi.class, env, heap);
                 KafkaProducer<byte[], byte[]> producer = producer(kafka.bootstrapServers())) {
                URI url = URI.create("http://127.0.0.1:" + admin.port() + "/api/v1/lineage");
                awaitUp(url.resolve("/api/v1/health"));
                for (int round = 1; round <= warmups; round++) {
                    bare(producer, topic, stream);
                    api(url, stream, admin);
                }
                System.out.println();
                System.out.println("| round | | events/s | mean ms | of which in the API, arrival to Kafka's acknowledgement | p50 ms | p99 ms "
                        + "| API CPU per 1000 events | this JVM's CPU per 1000 events "
                        + "(callers and broker) | max heap used |");
                System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
                List<Double> ratios = new ArrayList<>();
                for (int round = 1; round <= rounds; round++) {
                    long ownBefore = ownCpuNanos();
                    Result bare = bare(producer, topic, stream);
                    long ownBetween = ownCpuNanos();
                    Duration cpuBefore = api.cpuTime();
                    double[] inApiBefore = admin.sums(PUBLISH_TIME_SUM, PUBLISH_TIME_COUNT);
                    Result http = api(url, stream, admin);
                    double[] inApiAfter = admin.sums(PUBLISH_TIME_SUM, PUBLISH_TIME_COUNT);
                    double inApiMs = (inApiAfter[0] - inApiBefore[0]) * 1000 / (inApiAfter[1] - inApiBefore[1]);
                    double apiCpu = perThousand(api.cpuTime().minus(cpuBefore).toNanos());
                    double ownApiSide = perThousand(ownCpuNanos() - ownBetween);
                    System.out.printf("| %d | bare KafkaProducer (acks=all) | %.0f | %.2f | n/a | %.1f | %.1f | n/a | %.0f ms | n/a |%n", round,
                            bare.eventsPerSecond(), bare.latencies().meanMillis(), bare.latencies().percentileMillis(50), bare.latencies().percentileMillis(99),
                            perThousand(ownBetween - ownBefore));
                    System.out.printf("| %d | ingest-api, POST /api/v1/lineage (-Xmx%s) | %.0f | %.2f | %.2f | %.1f | %.1f | %.0f ms | %.0f ms | %.0f MB |%n",
                            round, heap, http.eventsPerSecond(), http.latencies().meanMillis(), inApiMs, http.latencies().percentileMillis(50),
                            http.latencies().percentileMillis(99), apiCpu, ownApiSide, admin.maxHeapMb());
                    ratios.add(http.eventsPerSecond() / bare.eventsPerSecond());
                }
                System.out.printf("%ningest-api, share of the bare producer's events/s: %s%n", Rounds.share(ratios));
                api.stop();
            }
        }
    }

    private double perThousand(long cpuNanos) {
        return cpuNanos / 1e6 / (events / 1000.0);
    }

    private static long ownCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        Map<String, Object> config = new java.util.HashMap<>(KafkaPublisher.PRODUCER_DEFAULTS);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private Result bare(KafkaProducer<byte[], byte[]> producer, String topic, List<Event> stream) throws Exception {
        return measure(stream, event -> producer.send(new ProducerRecord<>(topic, event.key(), event.json())).get());
    }

    /**
     * Apache HttpClient 5 (classic, pooled) with the events' bytes as they are: the HTTP stack the
     * OpenLineage client's HTTP transport uses, without its per-event JSON serialisation, which the
     * bare side does not pay either.
     */
    private Result api(URI url, List<Event> stream, ConsumerAdmin admin) throws Exception {
        PoolingHttpClientConnectionManager pool = PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnTotal(clients).setMaxConnPerRoute(clients).build();
        try (CloseableHttpClient http = HttpClients.custom().setConnectionManager(pool).build()) {
            Result result = measure(stream, event -> {
                HttpPost post = new HttpPost(url);
                post.setEntity(new ByteArrayEntity(event.json(), ContentType.APPLICATION_JSON));
                int status = http.execute(post, response -> {
                    EntityUtils.consume(response.getEntity());
                    return response.getCode();
                });
                if (status != 201) {
                    throw new IllegalStateException("ingest-api answered " + status);
                }
                if (ThreadLocalCounter.next() % 1000 == 0) {
                    admin.sampleHeap();
                }
            });
            admin.sampleHeap();
            return result;
        }
    }

    @FunctionalInterface
    private interface Write {
        void write(Event event) throws Exception;
    }

    /** {@code clients} threads take the events in turn, each writing one and waiting for it before the next. */
    private Result measure(List<Event> stream, Write write) throws Exception {
        long[] latencies = new long[stream.size()];
        AtomicInteger next = new AtomicInteger();
        ExecutorService callers = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            done.add(callers.submit(() -> {
                for (int i = next.getAndIncrement(); i < stream.size(); i = next.getAndIncrement()) {
                    long sent = System.nanoTime();
                    write.write(stream.get(i));
                    latencies[i] = System.nanoTime() - sent;
                }
                return null;
            }));
        }
        for (Future<?> caller : done) {
            caller.get(10, TimeUnit.MINUTES);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        callers.shutdown();
        return new Result(stream.size() / seconds, new Latencies(latencies));
    }

    private static void awaitUp(URI health) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("ingest-api did not come up in 60 s");
    }

    /** Samples the heap every thousand requests without a shared counter on the hot path. */
    private static final class ThreadLocalCounter {
        private static final ThreadLocal<int[]> COUNT = ThreadLocal.withInitial(() -> new int[1]);

        static int next() {
            return ++COUNT.get()[0];
        }
    }
}
