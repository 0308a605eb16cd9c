package dev.lineagehub.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lineagehub.sdk.client.Failures;
import dev.lineagehub.sdk.client.RetryPolicy;

import io.openlineage.client.OpenLineage;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

/** The hub down or slow: the worker goes on; events are retried within the bound, then dropped and counted. */
class DispatcherTest {

    private static final OpenLineage OL = new OpenLineage(URI.create("https://example.com/test"));
    private static final RetryPolicy FAST = new RetryPolicy(Integer.MAX_VALUE, Duration.ofMillis(5), Duration.ofMillis(20), Duration.ofMillis(300));

    private static OpenLineage.RunEvent event(int n) {
        return OL.newRunEventBuilder().eventType(OpenLineage.RunEvent.EventType.START).eventTime(ZonedDateTime.now())
                .run(OL.newRunBuilder().runId(new UUID(0, n)).build())
                .job(OL.newJobBuilder().namespace("ns").name("job-" + n).build()).build();
    }

    @Test
    void aDownHubNeverHoldsTheWorkerAndEventsAreDroppedAfterTheBound() throws Exception {
        RecordingTransport down = new RecordingTransport().failAlways(Failures.network("refused", false));
        try (Dispatcher dispatcher = new Dispatcher(down, 100, FAST, Duration.ofSeconds(5))) {
            long start = System.nanoTime();
            for (int i = 0; i < 10; i++) {
                dispatcher.submit(event(i));
            }
            // Queueing, not sending: ten events against a dead hub cost the worker no wait at all.
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));

            assertThat(dispatcher.flush(Duration.ofSeconds(60))).isTrue();
            assertThat(dispatcher.dropped()).isEqualTo(10);
            assertThat(dispatcher.sent()).isZero();
            assertThat(down.attempts.get()).as("each event retried more than once").isGreaterThan(20);
        }
    }

    @Test
    void aHubThatComesBackGetsEveryEventInOrder() throws Exception {
        RecordingTransport flaky = new RecordingTransport().failNext(5, Failures.server(503, Duration.ofMillis(10)));
        try (Dispatcher dispatcher = new Dispatcher(flaky, 100, FAST, Duration.ofSeconds(5))) {
            for (int i = 0; i < 20; i++) {
                dispatcher.submit(event(i));
            }
            assertThat(dispatcher.flush(Duration.ofSeconds(10))).isTrue();
        }
        assertThat(flaky.sent).extracting(e -> e.getJob().getName())
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 20).mapToObj(i -> "job-" + i).toList());
        assertThat(flaky.attempts.get()).isEqualTo(25);
    }

    @Test
    void aRefusedEventIsDroppedAtOnceAndTheNextOneGoes() throws Exception {
        RecordingTransport refusing = new RecordingTransport().failNext(1, Failures.rejected("HTTP 400: bad event"));
        try (Dispatcher dispatcher = new Dispatcher(refusing, 100, FAST, Duration.ofSeconds(5))) {
            dispatcher.submit(event(1));
            dispatcher.submit(event(2));
            assertThat(dispatcher.flush(Duration.ofSeconds(5))).isTrue();
            assertThat(dispatcher.dropped()).isEqualTo(1);
            assertThat(dispatcher.sent()).isEqualTo(1);
            assertThat(refusing.attempts.get()).isEqualTo(2);
        }
    }

    @Test
    void aFullQueueDropsNewEventsInsteadOfWaiting() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<String> names = new ArrayList<>();
        RecordingTransport stuck = new RecordingTransport() {
            @Override
            public void send(OpenLineage.RunEvent event) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                names.add(event.getJob().getName());
            }
        };
        try (Dispatcher dispatcher = new Dispatcher(stuck, 3, FAST, Duration.ofSeconds(5))) {
            for (int i = 0; i < 10; i++) {
                dispatcher.submit(event(i));
            }
            release.countDown();
            assertThat(dispatcher.flush(Duration.ofSeconds(5))).isTrue();
            assertThat(dispatcher.sent() + dispatcher.dropped()).isEqualTo(10);
            assertThat(dispatcher.sent()).isBetween(3L, 4L);
        }
        assertThat(names.get(0)).isEqualTo("job-0");
    }

    @Test
    void closingWaitsABoundedTimeThenDropsWhatIsLeftAndClosesTheTransport() {
        RecordingTransport down = new RecordingTransport().failAlways(Failures.network("timeout", true));
        Dispatcher dispatcher = new Dispatcher(down, 100,
                new RetryPolicy(Integer.MAX_VALUE, Duration.ofMillis(50), Duration.ofMillis(50), Duration.ofHours(1)), Duration.ofMillis(200));
        for (int i = 0; i < 5; i++) {
            dispatcher.submit(event(i));
        }
        long start = System.nanoTime();
        dispatcher.close();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThat(dispatcher.dropped()).isEqualTo(5);
        assertThat(down.closed).isTrue();

        dispatcher.submit(event(6));
        assertThat(dispatcher.dropped()).isEqualTo(6);
    }
}
