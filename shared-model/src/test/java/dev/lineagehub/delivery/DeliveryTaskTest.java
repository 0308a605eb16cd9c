package dev.lineagehub.delivery;

import dev.lineagehub.delivery.deadletter.DeadLetters;
import dev.lineagehub.delivery.flow.SinkHealth;
import dev.lineagehub.delivery.offsets.OffsetTracker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lineagehub.testing.Await;
import dev.lineagehub.testing.TestRuntimeContext;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

class DeliveryTaskTest {

    private static final TopicPartition PARTITION = new TopicPartition("events", 0);

    private final TestRuntimeContext runtime = new TestRuntimeContext();
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final Map<String, CompletableFuture<Void>> answers = new ConcurrentHashMap<>();

    @AfterEach
    void close() {
        runtime.close();
    }

    /** A sink that records each call and answers when the test completes the item's future. */
    private DeliveryTask<String> task(Sink<String> sink) {
        return new DeliveryService<>("test sink", sink, runtime).open(PARTITION, 4);
    }

    private Sink<String> controlledSink() {
        return item -> {
            calls.add(item);
            return answers.computeIfAbsent(item, i -> new CompletableFuture<>());
        };
    }

    private static SourceRecord record(long offset) {
        return new SourceRecord(PARTITION.topic(), PARTITION.partition(), offset, 0L, new RecordHeaders(),
                ("k" + offset).getBytes(StandardCharsets.UTF_8), ("v" + offset).getBytes(StandardCharsets.UTF_8),
                new TaskId(0, 0), "deliver");
    }

    private static void submit(DeliveryTask<String> task, long offset, String key, String item) {
        task.process(record(offset), () -> new DeliveryTask.Work<>(key, item));
    }

    private OffsetTracker tracker() {
        return runtime.offsets().trackers().get(PARTITION);
    }

    @Test
    void oneKeyAfterAnotherInOrderDifferentKeysAtOnce() {
        DeliveryTask<String> task = task(controlledSink());
        submit(task, 0, "run-a", "a1");
        submit(task, 1, "run-b", "b1");
        submit(task, 2, "run-a", "a2");
        Await.until(() -> calls.size() == 2, "a1 and b1 called at once");
        assertThat(calls).containsExactlyInAnyOrder("a1", "b1");
        answers.get("b1").complete(null);
        Await.until(() -> tracker().resolvedUpTo() == 0, "b1 resolved, a1 not: the commit point stays at 0");
        assertThat(calls).doesNotContain("a2");
        answers.get("a1").complete(null);
        Await.until(() -> calls.contains("a2"), "a2 after a1");
        answers.get("a2").complete(null);
        Await.until(() -> tracker().resolvedUpTo() == 3, "all resolved");
        assertThat(runtime.registry().get("lineagehub.delivered").counter().count()).isEqualTo(3);
    }

    @Test
    void everyRecordIsInOnePhaseAndEndsResolvedOrAbandonedOnce() {
        DeliveryTask<String> task = task(controlledSink());
        submit(task, 0, "run-a", "a1");
        submit(task, 1, "run-a", "a2");
        for (int i = 2; i < 8; i++) {
            submit(task, i, "run-" + i, "x" + i);
        }
        Await.until(() -> calls.size() == 4, "four calls, the task's slots");
        assertThat(task.phases()).containsExactlyInAnyOrderEntriesOf(Map.of(
                DeliveryTask.Phase.CALLING, 4, DeliveryTask.Phase.WAITING_ON_KEY, 1, DeliveryTask.Phase.WAITING_FOR_TURN, 3));
        answers.get("x2").completeExceptionally(new RetryableDeliveryException("HTTP 503", "HTTP 503"));
        // x2 backs off, then waits for a turn again; its slot went to x5.
        Await.until(() -> calls.contains("x5"), "x5 called in x2's slot");
        Map<DeliveryTask.Phase, Integer> phases = task.phases();
        assertThat(phases.get(DeliveryTask.Phase.CALLING)).isEqualTo(4);
        assertThat(phases.getOrDefault(DeliveryTask.Phase.BACKING_OFF, 0) + phases.getOrDefault(DeliveryTask.Phase.WAITING_FOR_TURN, 0))
                .isEqualTo(3);
        answers.get("x3").complete(null);
        Await.until(() -> tracker().unresolvedCount() == 7 && calls.size() == 6, "x3 resolved, its slot used");

        task.close();
        assertThat(task.phases()).as("records waiting for a turn abandoned; the calls the close gave up on still out, a2 behind a1")
                .containsExactlyInAnyOrderEntriesOf(Map.of(DeliveryTask.Phase.CALLING, 4, DeliveryTask.Phase.WAITING_ON_KEY, 1));
        answers.get("a1").complete(null);
        answers.values().forEach(answer -> answer.completeExceptionally(new RetryableDeliveryException("HTTP 503", "HTTP 503")));
        Await.until(() -> task.phases().isEmpty(), "the late answers end their records");
        assertThat(runtime.metrics().inFlight().get()).as("each record released once").isZero();
        assertThat(tracker().unresolvedCount()).as("only a1 and x3 resolved; the rest stay uncommitted").isEqualTo(6);
        assertThat(calls).as("nothing called once closed").hasSize(6);
        assertThat(runtime.deadLetterProducer().history()).as("a closed task dead-letters nothing").isEmpty();
    }

    @Test
    void aRecordRefusedWhileTheSinkTakesOthersIsDeadLetteredAsPoison() {
        AtomicInteger poisonCalls = new AtomicInteger();
        DeliveryTask<String> task = task(item -> {
            if (item.equals("poison")) {
                poisonCalls.incrementAndGet();
                return CompletableFuture.failedFuture(new RetryableDeliveryException("HTTP 500", "HTTP 500: null byte"));
            }
            return CompletableFuture.completedFuture(null);
        });
        submit(task, 0, "bad", "poison");
        for (int i = 1; i <= 200; i++) {
            submit(task, i, "good-" + (i % 7), "good" + i);
        }
        Await.until(() -> tracker().resolvedUpTo() == 201, "every record resolved");
        List<ProducerRecord<byte[], byte[]>> dead = runtime.deadLetterProducer().history();
        assertThat(dead).hasSize(1);
        assertThat(DeadLetters.reasonOf(dead.get(0))).isEqualTo(PermanentDeliveryException.SINK_POISON);
        assertThat(header(dead.get(0), DeadLetters.HEADER_SINK_STATUS)).contains("null byte");
        assertThat(poisonCalls.get()).isBetween(5, 50);
    }

    @Test
    void aSinkThatRefusesEverythingIsWaitedForWithoutDeadLetters() {
        AtomicBoolean up = new AtomicBoolean(false);
        AtomicInteger callsWhileDown = new AtomicInteger();
        Sink<String> sink = new Sink<>() {
            @Override
            public CompletableFuture<Void> deliver(String item) {
                if (!up.get()) {
                    callsWhileDown.incrementAndGet();
                    return CompletableFuture.failedFuture(new RetryableDeliveryException("connection refused", "refused"));
                }
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public CompletableFuture<Void> probe() {
                return up.get() ? CompletableFuture.completedFuture(null)
                        : CompletableFuture.failedFuture(new RetryableDeliveryException("down", "down"));
            }
        };
        DeliveryTask<String> task = task(sink);
        for (int i = 0; i < 20; i++) {
            submit(task, i, "k" + (i % 5), "e" + i);
        }
        Await.until(() -> runtime.sinks().get(0).state() == SinkHealth.State.DOWN, "sink marked down");
        assertThat(runtime.budget().paused()).as("processing paused while the sink is down").isTrue();
        int atDown = callsWhileDown.get();
        sleep(1_500);
        assertThat(callsWhileDown.get() - atDown).as("records wait for the probe instead of retrying").isLessThanOrEqualTo(5);
        assertThat(runtime.deadLetterProducer().history()).isEmpty();
        up.set(true);
        long start = System.nanoTime();
        Await.until(() -> tracker().resolvedUpTo() == 20, "all delivered once the sink is back");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(runtime.budget().paused()).isFalse();
        assertThat(runtime.deadLetterProducer().history()).isEmpty();
    }

    @Test
    void anyExceptionDeadLettersTheRecordInsteadOfStoppingThePartition() {
        DeliveryTask<String> task = task(item -> {
            if (item.equals("checked")) {
                sneakyThrow(new URISyntaxException("urn:li:dataset:(x", "Unbalanced parenthesis"));
            }
            if (item.equals("error")) {
                throw new StackOverflowError();
            }
            return CompletableFuture.completedFuture(null);
        });
        submit(task, 0, "a", "checked");
        submit(task, 1, "b", "error");
        task.process(record(2), () -> {
            throw new IllegalStateException("mapping bug");
        });
        submit(task, 3, "a", "fine");
        Await.until(() -> tracker().resolvedUpTo() == 4, "all four resolved");
        assertThat(runtime.deadLetterProducer().history()).extracting(DeadLetters::reasonOf)
                .containsOnly(DeadLetters.PROCESSING_ERROR).hasSize(3);
    }

    @Test
    void aClosedTaskStartsNothingAndWaitsForTheCallsItStarted() {
        DeliveryTask<String> task = task(controlledSink());
        submit(task, 0, "run", "start");
        submit(task, 1, "run", "complete");
        for (int i = 2; i < 12; i++) {
            submit(task, i, "other" + i, "x" + i);
        }
        Await.until(() -> calls.size() == 4, "4 slots in use");
        CompletableFuture<Void> closed = CompletableFuture.runAsync(task::close);
        // The 4 calls and "complete" (behind "start" in its key) remain; the 7 waiting for a turn are let go at once.
        Await.until(() -> runtime.budget().unresolved() == 5, "records waiting for a turn abandoned on close");
        sleep(100);
        assertThat(closed).as("close waits for the calls it started").isNotDone();
        Set.copyOf(calls).forEach(item -> answers.get(item).complete(null));
        closed.join();
        sleep(200);
        assertThat(calls).as("nothing started after close").hasSize(4).doesNotContain("complete");
        assertThat(task.state()).isEqualTo(DeliveryTask.State.CLOSED);
        assertThat(tracker().committable(12)).as("the queued records stay uncommitted").isEqualTo(1);
        assertThat(runtime.budget().unresolved()).isZero();
    }

    @Test
    void callsThatFailOnceTheTaskStopsStartingAreAbandonedNotDeadLettered() {
        DeliveryTask<String> task = task(controlledSink());
        submit(task, 0, "a", "queued-in-sink");
        submit(task, 1, "b", "also-queued");
        Await.until(() -> calls.size() == 2, "both handed to the sink");
        task.stopStarting();
        // What a sink with its own queue does when its partition goes: it fails what it had not written.
        answers.values().forEach(answer -> answer.completeExceptionally(new IllegalStateException("partition closed")));
        CompletableFuture<Void> closed = CompletableFuture.runAsync(task::close);
        closed.orTimeout(5, java.util.concurrent.TimeUnit.SECONDS).join();
        assertThat(runtime.deadLetterProducer().history()).as("nothing healthy dead-lettered on close").isEmpty();
        assertThat(tracker().committable(2)).as("both stay uncommitted for the next owner").isZero();
        assertThat(task.state()).isEqualTo(DeliveryTask.State.CLOSED);
    }

    @Test
    void deadLettersAreCountedOnceTheBrokerAcknowledgedThem() {
        runtime.deadLetterProducer();
        DeliveryTask<String> task = task(item -> CompletableFuture.failedFuture(
                new PermanentDeliveryException("refused", "HTTP 400")));
        submit(task, 0, "k", "bad");
        Await.until(() -> runtime.deadLetterProducer().history().size() == 1, "dead letter sent");
        Await.until(() -> tracker().resolvedUpTo() == 1, "resolved after the acknowledgement");
        assertThat(runtime.registry().get("lineagehub.dead_lettered").tag("reason", "SINK_REJECTED").counter().count())
                .isEqualTo(1);
    }

    private static String header(ProducerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> void sneakyThrow(Throwable e) throws E {
        throw (E) e;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
