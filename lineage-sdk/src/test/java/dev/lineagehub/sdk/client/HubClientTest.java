package dev.lineagehub.sdk.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;

import io.openlineage.client.OpenLineage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/** The synchronous client against a loopback server answering scripted statuses. */
class HubClientTest {

    private static final RetryPolicy QUICK = new RetryPolicy(4, Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofSeconds(5));
    private static final OpenLineage OL = new OpenLineage(URI.create("https://example.com/test"));

    private record Seen(String method, String path, String requestId, String authorization, String body) {
    }

    private HttpServer server;
    private final Deque<Integer> statuses = new ArrayDeque<>();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("X-Request-Id"), exchange.getRequestHeaders().getFirst("Authorization"), body));
            Integer status;
            synchronized (statuses) {
                status = statuses.isEmpty() ? 200 : statuses.poll();
            }
            String healthy = "{\"status\":\"UP\",\"dependencies\":{\"kafka\":{\"status\":\"UP\",\"detail\":\"1 broker\"}}}";
            byte[] answer = (status == 200 ? healthy : "{\"error\":\"scripted " + status + "\"}").getBytes(StandardCharsets.UTF_8);
            if (status == 429) {
                exchange.getResponseHeaders().add("Retry-After", "0");
            }
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private HubClient client(RetryPolicy retry) {
        return new HubClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), "lh_key", Duration.ofSeconds(5), retry);
    }

    private void answer(Integer... codes) {
        synchronized (statuses) {
            statuses.addAll(List.of(codes));
        }
    }

    private static OpenLineage.RunEvent event() {
        return OL.newRunEventBuilder().eventType(OpenLineage.RunEvent.EventType.START).eventTime(ZonedDateTime.now())
                .run(OL.newRunBuilder().runId(UUID.randomUUID()).build())
                .job(OL.newJobBuilder().namespace("ns").name("job").build()).build();
    }

    @Test
    void eachStatusIsItsOwnTypedErrorCarryingTheRequestIdAndRun() {
        HubClient client = client(RetryPolicy.none());
        OpenLineage.RunEvent event = event();
        for (Object[] expected : new Object[][] {{401, AuthError.class}, {403, AuthError.class}, {404, NotFound.class},
                {409, Conflict.class}, {400, RejectedError.class}, {413, RejectedError.class}, {500, ServerError.class}, {429, ServerError.class}}) {
            answer((Integer) expected[0]);
            assertThatThrownBy(() -> client.sendLineage(event, "req-" + expected[0]))
                    .isInstanceOf((Class<?>) expected[1])
                    .hasMessageContaining("HTTP " + expected[0]).hasMessageContaining("scripted")
                    .satisfies(e -> {
                        HubException failure = (HubException) e;
                        assertThat(failure.status()).isEqualTo(expected[0]);
                        assertThat(failure.requestId()).isEqualTo("req-" + expected[0]);
                        assertThat(failure.runId()).isEqualTo(event.getRun().getRunId());
                    });
        }
        assertThat(seen).allSatisfy(s -> {
            assertThat(s.path()).isEqualTo("/api/v1/lineage");
            assertThat(s.authorization()).isEqualTo("Bearer lh_key");
        });
    }

    @Test
    void idempotentCallsAreRetriedWithTheSameRequestId() {
        answer(503, 500, 502);
        assertThat(client(QUICK).health()).isEqualTo(new HubHealth("UP", Map.of("kafka", "UP")));

        assertThat(seen).hasSize(4).extracting(Seen::requestId).containsOnly(seen.get(0).requestId());
        assertThat(seen.get(0).requestId()).isNotBlank();
    }

    @Test
    void aLineagePostIsResentOnlyWhenTheServerSurelyDidNotTakeIt() {
        answer(503, 429);
        client(QUICK).sendLineage(event(), null);
        assertThat(seen).hasSize(3);

        seen.clear();
        answer(500);
        assertThatThrownBy(() -> client(QUICK).sendLineage(event(), null)).isInstanceOf(ServerError.class);
        assertThat(seen).as("a 500 may have stored the event: not re-POSTed").hasSize(1);
    }

    @Test
    void retriesStopAtTheAttemptsBound() {
        answer(503, 503, 503, 503, 503, 503);
        assertThatThrownBy(() -> client(QUICK).get("/api/v1/namespaces", "mine")).isInstanceOf(ServerError.class)
                .satisfies(e -> assertThat(((HubException) e).retryable()).isTrue());
        assertThat(seen).hasSize(4).extracting(Seen::requestId).containsOnly("mine");
    }

    @Test
    void aRefusedConnectionIsATransientErrorThatProvablyDeliveredNothing() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        HubClient client = new HubClient(URI.create("http://127.0.0.1:" + closedPort), null, Duration.ofSeconds(2), QUICK);
        assertThatThrownBy(() -> client.sendLineage(event(), null)).isInstanceOfSatisfying(TransientNetworkError.class,
                e -> assertThat(e.maybeDelivered()).isFalse());
    }

    @Test
    void aBatchIsOneJsonArray() {
        client(QUICK).sendLineage(List.of(event(), event()), null);
        assertThat(seen.get(0).body()).startsWith("[{").endsWith("}]").contains("\"eventType\":\"START\"");
    }

    @Test
    void theBatchingClientFlushesOnSizeAgeAndClose() throws Exception {
        try (BatchingClient batching = new BatchingClient(client(QUICK), 3, Duration.ofMillis(200))) {
            for (int i = 0; i < 4; i++) {
                batching.add(event());
            }
            assertThat(seen).as("flushed on size").hasSize(1);
            assertThat(batching.sent()).isEqualTo(3);
            Thread.sleep(500);
            assertThat(seen).as("flushed on age").hasSize(2);
            batching.add(event());
        }
        assertThat(seen).as("flushed on close").hasSize(3);
        assertThat(seen.get(0).body().split("\"eventType\"")).hasSize(4);
    }
}
