package dev.lineagehub.lineage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lineagehub.delivery.PermanentDeliveryException;
import dev.lineagehub.delivery.RetryableDeliveryException;
import dev.lineagehub.lineage.config.MarquezSettings;
import dev.lineagehub.lineage.sink.MarquezSink;
import dev.lineagehub.openlineage.OpenLineageEvent;
import dev.lineagehub.testing.SampleEvents;

import io.openlineage.client.OpenLineage.RunEvent.EventType;
import io.vertx.core.Vertx;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

class MarquezSinkTest {

    private final Vertx vertx = Vertx.vertx();
    private MarquezDouble marquez;

    @BeforeEach
    void start() throws Exception {
        marquez = new MarquezDouble();
    }

    @AfterEach
    void stop() {
        marquez.close();
        vertx.close().await();
    }

    @Test
    void postsTheEventUnchangedWithItsBearerToken() throws Exception {
        OpenLineageEvent event = event();

        deliver(sink("tok-123", false), event);

        assertThat(marquez.received()).singleElement().satisfies(received -> {
            assertThat(received.body()).isEqualTo(event.bytes());
            assertThat(received.authorization()).isEqualTo("Bearer tok-123");
        });
    }

    @Test
    void gzipBodiesArriveIntact() throws Exception {
        OpenLineageEvent event = event();

        deliver(sink(null, true), event);

        assertThat(marquez.received()).singleElement().extracting(MarquezDouble.Received::body).isEqualTo(event.bytes());
    }

    @Test
    void missingFieldsArePermanent() {
        OpenLineageEvent noFacetProducer = OpenLineageEvent.parse(new String(event().bytes(), StandardCharsets.UTF_8)
                .replaceFirst("\"_producer\":\"[^\"]*\",", "").getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> deliver(sink(null, false), noFacetProducer)).cause()
                .isInstanceOf(PermanentDeliveryException.class).hasMessageContaining("422");
    }

    @Test
    void unreadableJsonBehindAStatus500IsPermanent() {
        OpenLineageEvent wrongFacetShape = OpenLineageEvent.parse(new String(event().bytes(), StandardCharsets.UTF_8)
                .replaceFirst("\"nominalStartTime\":\"[^\"]*\"", "\"nominalStartTime\":\"2026-11-20\"").getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> deliver(sink(null, false), wrongFacetShape)).cause()
                .isInstanceOf(PermanentDeliveryException.class).hasMessageContaining("could not read");
    }

    @Test
    void unavailabilityIsRetryableAndCarriesRetryAfter() {
        marquez.failWith(503, "2", "{\"code\":503,\"message\":\"busy\"}");

        assertThatThrownBy(() -> deliver(sink(null, false), event())).cause()
                .isInstanceOfSatisfying(RetryableDeliveryException.class,
                        e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(2)));
    }

    @Test
    void aRefusedConnectionIsRetryable() {
        marquez.refuseConnections();

        assertThatThrownBy(() -> deliver(sink(null, false), event())).cause().isInstanceOf(RetryableDeliveryException.class);
    }

    private MarquezSink sink(String apiKey, boolean gzip) {
        return new MarquezSink(vertx, new MarquezSettings(URI.create(marquez.url() + "/"), apiKey,
                Duration.ofSeconds(5), gzip, Map.of(), 4, Optional.empty()));
    }

    private static void deliver(MarquezSink sink, OpenLineageEvent event) throws Exception {
        sink.deliver(event).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static OpenLineageEvent event() {
        return OpenLineageEvent.parse(SampleEvents.json(
                SampleEvents.airflowTask(EventType.START, UUID.randomUUID(), UUID.randomUUID(), "dag", "task")));
    }
}
