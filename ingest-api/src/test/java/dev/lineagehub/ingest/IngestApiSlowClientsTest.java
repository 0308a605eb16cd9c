package dev.lineagehub.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lineagehub.testing.Await;
import dev.lineagehub.testing.RealKafka;
import dev.lineagehub.testing.SampleEvents;
import dev.lineagehub.testing.TestKafka;

import io.openlineage.client.OpenLineage.RunEvent.EventType;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Clients that send headers or bodies a byte at a time, connect and say nothing, or go away mid-body
 * hold the API only as long as its timeouts say, then are told (408) or closed; above the connection
 * cap a request is told 503. Bounded: every wait here is a few times the timeouts, a second or two.
 */
@ExtendWith(RealKafka.class)
class IngestApiSlowClientsTest {

    private static final String ADMIN = "admin-key-for-tests";
    private static final Duration BOUND = Duration.ofSeconds(6);
    private final ExecutorService clients = Executors.newCachedThreadPool();
    private IngestApi api;

    @AfterEach
    void stop() {
        clients.shutdownNow();
        if (api != null) {
            api.close();
        }
    }

    private IngestApiClient start(TestKafka kafka, int maxConnections) throws Exception {
        String topic = kafka.newTopic("openlineage-events", 1);
        Map<String, String> env = new java.util.HashMap<>(Map.of("LINEAGEHUB_INGEST_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "LINEAGEHUB_INGEST_PORT", "0", "LINEAGEHUB_INGEST_LINEAGE_TOPIC", topic, "LINEAGEHUB_INGEST_NAMESPACES_TOPIC", topic + "-namespaces",
                "LINEAGEHUB_INGEST_AUDIT_TOPIC", "", "LINEAGEHUB_INGEST_ADMIN_KEY", ADMIN));
        env.putAll(Map.of("LINEAGEHUB_INGEST_PUBLISH_TIMEOUT_MS", "500", "LINEAGEHUB_INGEST_REQUEST_HEADERS_TIMEOUT_MS", "1000",
                "LINEAGEHUB_INGEST_REQUEST_TIMEOUT_MS", "1500", "LINEAGEHUB_INGEST_IDLE_TIMEOUT_MS", "1000", "LINEAGEHUB_INGEST_MAX_CONNECTIONS", String.valueOf(maxConnections)));
        api = IngestApi.start(env);
        return new IngestApiClient(api.port());
    }

    @Test
    void slowIdleAndVanishingClientsAreBoundedAndTheApiStillServes(TestKafka kafka) throws Exception {
        IngestApiClient client = start(kafka, 1000);
        List<Future<String>> slowHeaders = new ArrayList<>();
        List<Future<String>> slowBodies = new ArrayList<>();
        List<Future<String>> idle = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            slowHeaders.add(clients.submit(() -> trickle("POST /api/v1/lineage HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + ADMIN
                    + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n")));
            slowBodies.add(clients.submit(() -> sendThenTrickle(headers(1000), "x".repeat(1000))));
            idle.add(clients.submit(() -> sendThenTrickle("", "")));
        }
        for (int i = 0; i < 5; i++) {
            clients.submit(() -> {
                try (Socket socket = socket()) {
                    socket.getOutputStream().write((headers(1000) + "{\"eventType\":").getBytes(StandardCharsets.US_ASCII));
                    socket.getOutputStream().flush();
                    Thread.sleep(200);
                } // closed mid-body
                return null;
            }).get(BOUND.toSeconds(), TimeUnit.SECONDS);
        }
        for (Future<String> answer : slowHeaders) {
            assertThat(answer.get(BOUND.toSeconds(), TimeUnit.SECONDS)).as("closed without an answer").isEmpty();
        }
        for (Future<String> answer : idle) {
            assertThat(answer.get(BOUND.toSeconds(), TimeUnit.SECONDS)).as("closed without an answer").isEmpty();
        }
        for (Future<String> answer : slowBodies) {
            String response = answer.get(BOUND.toSeconds(), TimeUnit.SECONDS);
            assertThat(response).startsWith("HTTP/1.1 408").contains("LINEAGEHUB_INGEST_REQUEST_TIMEOUT_MS");
        }
        Await.until(BOUND, () -> metrics(client).contains("endpoint=\"lineage\",status=\"499\"} 5.0"),
                () -> "five clients gone mid-body counted:\n" + metrics(client));
        assertThat(metrics(client)).contains("endpoint=\"lineage\",status=\"408\"} 10.0");
        HttpResponse<String> served = client.postJson("/api/v1/lineage", ADMIN, event());
        assertThat(served.statusCode()).as(served.body()).isEqualTo(201);
    }

    @Test
    void aboveTheConnectionCapARequestIsTold503(TestKafka kafka) throws Exception {
        IngestApiClient client = start(kafka, 3);
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                held.add(socket());
            }
            // Accepted sockets are counted once their event loop has taken them: until then a request may still pass.
            java.util.concurrent.atomic.AtomicReference<HttpResponse<String>> answer = new java.util.concurrent.atomic.AtomicReference<>();
            Await.until(BOUND, () -> {
                try {
                    answer.set(client.postJson("/api/v1/lineage", ADMIN, event()));
                    return answer.get().statusCode() == 503;
                } catch (Exception e) {
                    return false;
                }
            }, () -> "a fourth connection told 503, last answer " + (answer.get() == null ? null : answer.get().statusCode()));
            HttpResponse<String> refused = answer.get();
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            assertThat(refused.body()).contains("LINEAGEHUB_INGEST_MAX_CONNECTIONS");
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
        Await.until(BOUND, () -> {
            try {
                return client.postJson("/api/v1/lineage", ADMIN, event()).statusCode() == 201;
            } catch (Exception e) {
                return false;
            }
        }, () -> "served again once the held connections closed");
    }

    private Socket socket() throws IOException {
        Socket socket = new Socket("localhost", api.port());
        socket.setSoTimeout((int) BOUND.toMillis());
        return socket;
    }

    private static String headers(int contentLength) {
        return "POST /api/v1/lineage HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + ADMIN
                + "\r\nContent-Type: application/json\r\nContent-Length: " + contentLength + "\r\n\r\n";
    }

    /** Sends {@code text} a byte every 200 ms until the server closes; answers what the server sent. */
    private String trickle(String text) throws Exception {
        return sendThenTrickle("", text);
    }

    private String sendThenTrickle(String atOnce, String slowly) throws Exception {
        try (Socket socket = socket()) {
            OutputStream out = socket.getOutputStream();
            out.write(atOnce.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            long deadline = System.nanoTime() + BOUND.toNanos();
            int sent = 0;
            while (System.nanoTime() < deadline) {
                try {
                    if (sent < slowly.length()) {
                        out.write(slowly.charAt(sent++));
                        out.flush();
                    }
                } catch (IOException closedByServer) {
                    break;
                }
                socket.setSoTimeout(200);
                try {
                    int read = in.read();
                    if (read < 0) {
                        return answer.toString(StandardCharsets.US_ASCII);
                    }
                    answer.write(read);
                    answer.write(in.readNBytes(in.available()));
                } catch (java.net.SocketTimeoutException nothingYet) {
                    // keep trickling
                } catch (IOException reset) {
                    return answer.toString(StandardCharsets.US_ASCII);
                }
            }
            throw new AssertionError("still held after " + BOUND + ", answered so far: " + answer);
        }
    }

    private static String event() throws Exception {
        return new String(SampleEvents.json(SampleEvents.run(EventType.START, UUID.randomUUID(), "team-a", "job", List.of(), List.of())),
                StandardCharsets.UTF_8);
    }

    private static String metrics(IngestApiClient client) {
        try {
            return client.get("/metrics", null).body();
        } catch (Exception e) {
            return e.toString();
        }
    }
}
