package dev.lineagehub.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lineagehub.openlineage.OpenLineageEvent;
import dev.lineagehub.testing.Await;
import dev.lineagehub.testing.ConsumerProcess;
import dev.lineagehub.testing.RealKafka;
import dev.lineagehub.testing.SampleEvents;
import dev.lineagehub.testing.TestKafka;

import io.openlineage.client.OpenLineage.RunEvent.EventType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * SIGTERM to the API's process in the middle of 1,000 writes from 8 clients that, as a load balancer
 * does, stop sending once its health answers 503, and from one stale client that does not: health
 * turns 503 at once, every write answered 201 is in Kafka, and every other write was answered or its
 * connection refused before a byte was sent, never cut off mid-request.
 */
@ExtendWith(RealKafka.class)
class IngestApiDrainTest {

    private static final int WRITES = 1_000;

    @Test
    void sigtermDrainsEveryAcknowledgedWriteIsStoredAndNoRequestIsCutOff(TestKafka kafka) throws Exception {
        String topic = kafka.newTopic("openlineage-events", 2);
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Map<String, String> env = Map.of("LINEAGEHUB_INGEST_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(), "LINEAGEHUB_INGEST_PORT", String.valueOf(port),
                "LINEAGEHUB_INGEST_LINEAGE_TOPIC", topic, "LINEAGEHUB_INGEST_NAMESPACES_TOPIC", topic + "-namespaces", "LINEAGEHUB_INGEST_AUDIT_TOPIC", "",
                "LINEAGEHUB_INGEST_AUTH", "none", "LINEAGEHUB_INGEST_SHUTDOWN_GRACE_MS", "1500", "LINEAGEHUB_INGEST_SHUTDOWN_TIMEOUT_MS", "5000");
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger refusedConnections = new AtomicInteger();
        AtomicInteger otherAnswers = new AtomicInteger();
        AtomicInteger notSent = new AtomicInteger();
        Set<String> cutOff = ConcurrentHashMap.newKeySet();
        // What a load balancer does: it stops sending to the replica once its health answers 503.
        AtomicBoolean inRotation = new AtomicBoolean(true);
        try (ConsumerProcess api = ConsumerProcess.start(IngestApi.class, env, "512m")) {
            IngestApiClient client = new IngestApiClient(port);
            Await.until(Duration.ofSeconds(60), () -> status(client, "/api/v1/health") == 200, () -> "ingest-api ready");
            ExecutorService writers = Executors.newFixedThreadPool(8);
            for (int i = 0; i < WRITES; i++) {
                writers.submit(() -> {
                    if (!inRotation.get()) {
                        notSent.incrementAndGet();
                        return;
                    }
                    write(client, acknowledged, refusedConnections, otherAnswers, cutOff);
                });
            }
            // One client that does not watch the health (a stale load balancer): it writes on, one request at a time,
            // through the grace period and past the stop. Each is answered, or its connection refused.
            ExecutorService stale = Executors.newSingleThreadExecutor();
            AtomicBoolean stopped = new AtomicBoolean();
            stale.submit(() -> {
                while (!stopped.get()) {
                    write(client, acknowledged, refusedConnections, otherAnswers, cutOff);
                    Thread.sleep(50);
                }
                return null;
            });
            Await.until(Duration.ofSeconds(60), () -> acknowledged.size() >= 150, () -> acknowledged.size() + " acknowledged");
            api.terminate();
            Await.until(Duration.ofSeconds(5), () -> status(client, "/api/v1/health") == 503, () -> "health 503 once draining, still answering");
            inRotation.set(false);
            writers.shutdown();
            assertThat(writers.awaitTermination(120, TimeUnit.SECONDS)).isTrue();
            // 143 (128 + SIGTERM) is how a JVM stopped by SIGTERM exits once its shutdown hooks have run.
            assertThat(api.waitFor(Duration.ofSeconds(30))).as(api.output()).isEqualTo(143);
            assertThat(api.output()).contains("Stopping: health answers 503").contains("Stopped");
            stopped.set(true);
            stale.shutdown();
            assertThat(stale.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(cutOff).as("requests cut off mid-way").isEmpty();
        assertThat(refusedConnections.get()).as("the stale client's writes after the stop").isPositive();
        Set<String> stored = ConcurrentHashMap.newKeySet();
        kafka.read(topic, acknowledged.size(), Duration.ofSeconds(30))
                .forEach(record -> stored.add(OpenLineageEvent.parse(record.value()).runId().orElseThrow()));
        assertThat(stored).containsAll(acknowledged);
    }

    private static void write(IngestApiClient client, Set<String> acknowledged, AtomicInteger refusedConnections,
                              AtomicInteger otherAnswers, Set<String> cutOff) {
        UUID run = UUID.randomUUID();
        try {
            HttpResponse<String> answer = client.postJson("/api/v1/lineage", null, new String(SampleEvents.json(
                    SampleEvents.run(EventType.START, run, "drain", "job", List.of(), List.of())), StandardCharsets.UTF_8));
            if (answer.statusCode() == 201) {
                acknowledged.add(run.toString());
            } else {
                otherAnswers.incrementAndGet();
            }
        } catch (ConnectException refused) {
            refusedConnections.incrementAndGet();
        } catch (Exception cut) {
            cutOff.add(run + ": " + cut);
        }
    }

    private static int status(IngestApiClient client, String path) {
        try {
            return client.get(path, null).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }
}
