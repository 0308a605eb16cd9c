package dev.lineagehub.sdk.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lineagehub.testing.Await;

import io.openlineage.client.OpenLineage;

import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

class KafkaTransportTest {

    private static final OpenLineage OL = new OpenLineage(URI.create("https://example.com/test"));

    private static OpenLineage.RunEvent event(OpenLineage.ParentRunFacet parent) {
        return OL.newRunEventBuilder().eventType(OpenLineage.RunEvent.EventType.COMPLETE).eventTime(ZonedDateTime.now())
                .run(OL.newRunBuilder().runId(UUID.randomUUID()).facets(OL.newRunFacetsBuilder().parent(parent).build()).build())
                .job(OL.newJobBuilder().namespace("airflow").name("orders_daily.load").build()).build();
    }

    @Test
    void eventsAreKeyedByRootElseParentElseOwnJobAsTheOpenLineageKafkaTransportKeysThem() {
        MockProducer<String, String> producer = new MockProducer<>(true, null, new StringSerializer(), new StringSerializer());
        KafkaTransport transport = new KafkaTransport(producer, "openlineage-events", Duration.ofSeconds(1));
        OpenLineage.ParentRunFacetJob parentJob = OL.newParentRunFacetJobBuilder().namespace("airflow").name("orders_daily").build();
        OpenLineage.ParentRunFacetRunBuilder parentRun = OL.newParentRunFacetRunBuilder().runId(UUID.randomUUID());

        transport.send(event(null));
        transport.send(event(OL.newParentRunFacetBuilder().run(parentRun.build()).job(parentJob).build()));
        transport.send(event(OL.newParentRunFacetBuilder().run(parentRun.build()).job(parentJob)
                .root(OL.newParentRunFacetRootBuilder().run(OL.newRootRunBuilder().runId(UUID.randomUUID()).build())
                        .job(OL.newRootJobBuilder().namespace("airflow").name("platform_nightly").build()).build()).build()));

        assertThat(producer.history()).extracting(r -> r.topic() + " " + r.key()).containsExactly(
                "openlineage-events run:airflow/orders_daily.load",
                "openlineage-events run:airflow/orders_daily",
                "openlineage-events run:airflow/platform_nightly");
        assertThat(producer.history().get(0).value()).contains("\"eventType\":\"COMPLETE\"").contains("\"name\":\"orders_daily.load\"");
    }

    @Test
    void brokerErrorsBecomeTypedFailures() throws Exception {
        assertThat(failureFor(new org.apache.kafka.common.errors.TimeoutException("no ack"))).isInstanceOf(TransientNetworkError.class);
        assertThat(failureFor(new org.apache.kafka.common.errors.NotLeaderOrFollowerException("moved"))).isInstanceOf(TransientNetworkError.class);
        assertThat(failureFor(new TopicAuthorizationException(Set.of("openlineage-events")))).isInstanceOf(AuthError.class);
        assertThat(failureFor(new RecordTooLargeException("2 MB"))).isInstanceOf(RejectedError.class);
    }

    private static HubException failureFor(RuntimeException brokerError) throws Exception {
        MockProducer<String, String> producer = new MockProducer<>(false, null, new StringSerializer(), new StringSerializer());
        KafkaTransport transport = new KafkaTransport(producer, "openlineage-events", Duration.ofSeconds(5));
        CompletableFuture<HubException> failure = CompletableFuture.supplyAsync(() -> {
            try {
                transport.send(event(null));
                return null;
            } catch (HubException e) {
                return e;
            }
        });
        Await.until(() -> !producer.history().isEmpty(), "the send reached the producer");
        producer.errorNext(brokerError);
        return failure.get();
    }
}
