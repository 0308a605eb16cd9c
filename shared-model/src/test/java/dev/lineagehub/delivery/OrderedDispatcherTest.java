package dev.lineagehub.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lineagehub.runtime.ConsumerMetrics;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

class OrderedDispatcherTest {

    private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(4);
    private final ConsumerMetrics metrics = new ConsumerMetrics(new SimpleMeterRegistry(), "test");
    private final MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    private final DeadLetterPublisher deadLetters = new DeadLetterPublisher(producer, "{topic}-test-dlq", "test", metrics);
    private final RetryPolicy policy = new RetryPolicy(Duration.ofMillis(1), Duration.ofMillis(5), 0);
    private final CommitBarrier barrier = new CommitBarrier();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    @Test
    void deliversEachKeyInOrderAndKeysConcurrently() {
        Map<String, List<Integer>> received = new ConcurrentHashMap<>();
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger maxConcurrent = new AtomicInteger();
        Sink<String[]> slowSink = item -> {
            int now = concurrent.incrementAndGet();
            maxConcurrent.accumulateAndGet(now, Math::max);
            CompletableFuture<Void> done = new CompletableFuture<>();
            executor.schedule(() -> {
                received.computeIfAbsent(item[0], k -> Collections.synchronizedList(new ArrayList<>())).add(Integer.parseInt(item[1]));
                concurrent.decrementAndGet();
                done.complete(null);
            }, ThreadLocalRandom.current().nextInt(1, 4), TimeUnit.MILLISECONDS);
            return done;
        };
        OrderedDispatcher<String[]> dispatcher = dispatcher(slowSink, 8);

        for (int i = 0; i < 50; i++) {
            for (int run = 0; run < 10; run++) {
                dispatcher.submit("run-" + run, new String[] {"run-" + run, Integer.toString(i)}, source(i * 10 + run));
            }
        }
        dispatcher.beforeCommit();

        assertThat(received).hasSize(10);
        received.values().forEach(events -> assertThat(events).hasSize(50).isSorted());
        assertThat(maxConcurrent.get()).isGreaterThan(1).isLessThanOrEqualTo(8);
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void commitWaitsUntilEveryDeliveryIsResolved() throws Exception {
        ConcurrentLinkedQueue<CompletableFuture<Void>> calls = new ConcurrentLinkedQueue<>();
        OrderedDispatcher<String> dispatcher = dispatcher(pending(calls), 4);
        dispatcher.submit("a", "1", source(1));
        dispatcher.submit("b", "2", source(2));

        CountDownLatch committed = new CountDownLatch(1);
        Thread commit = new Thread(() -> {
            dispatcher.beforeCommit();
            committed.countDown();
        });
        commit.start();

        assertThat(committed.await(300, TimeUnit.MILLISECONDS)).as("commit must wait for in-flight deliveries").isFalse();
        calls.forEach(call -> call.complete(null));
        assertThat(committed.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void slotsBoundTheSinkCallsAndAsManyMoreWaitInLineBeforeSubmitBlocks() throws Exception {
        ConcurrentLinkedQueue<CompletableFuture<Void>> calls = new ConcurrentLinkedQueue<>();
        OrderedDispatcher<String> dispatcher = dispatcher(pending(calls), 2);
        for (int i = 0; i < 4; i++) {
            dispatcher.submit("run-" + i, Integer.toString(i), source(i));
        }
        assertThat(calls).as("two slots: two sink calls at a time").hasSize(2);
        assertThat(metrics.inFlight().get()).isEqualTo(4);

        CountDownLatch fifth = submitInBackground(dispatcher, "run-4", "4", 4);
        assertThat(fifth.await(300, TimeUnit.MILLISECONDS)).as("two calls and two in line: full").isFalse();

        calls.poll().complete(null);
        assertThat(calls).as("the freed slot went straight to the next in line").hasSize(2);
        assertThat(fifth.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void tasksOfOneThreadShareTheirSlotsAndCommitOnlyWaitsForTheirOwn() throws Exception {
        ConcurrentLinkedQueue<CompletableFuture<Void>> callsOfA = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<CompletableFuture<Void>> callsOfB = new ConcurrentLinkedQueue<>();
        DeliveryWindow shared = new DeliveryWindow();
        OrderedDispatcher<String> a = dispatcher(pending(callsOfA), shared, 2);
        OrderedDispatcher<String> b = dispatcher(pending(callsOfB), shared, 2);

        // B is idle, so A may use B's slots too: four calls, four more in line, no blocking.
        for (int i = 0; i < 8; i++) {
            a.submit("run-" + i, "a" + i, source(i));
        }
        assertThat(callsOfA).hasSize(4);
        assertThat(shared.unresolved()).isEqualTo(8);
        CountDownLatch ninth = submitInBackground(b, "run-b", "b0", 10);
        assertThat(ninth.await(300, TimeUnit.MILLISECONDS)).as("every slot of the thread is taken").isFalse();

        // Full, the thread gets in again once half the calls' worth (two of four) came free, not at every one.
        callsOfA.poll().complete(null);
        assertThat(ninth.await(300, TimeUnit.MILLISECONDS)).as("one free of eight: not yet").isFalse();
        callsOfA.poll().complete(null);
        assertThat(ninth.await(5, TimeUnit.SECONDS)).isTrue();
        for (CompletableFuture<Void> call; (call = callsOfA.poll()) != null; ) {
            call.complete(null);
        }
        a.beforeCommit(); // B's delivery may still be unresolved; A's commit does not wait for it
        assertThat(callsOfB).hasSize(1);

        a.close();
        b.submit("run-b", "b1", source(11)); // B is left alone with its own two slots
        assertThat(shared.unresolved()).isEqualTo(2);
    }

    /** Submits on another thread; the latch opens once submit returned (it blocks while the window is full). */
    private static CountDownLatch submitInBackground(OrderedDispatcher<String> dispatcher, String key, String item, long offset) {
        CountDownLatch submitted = new CountDownLatch(1);
        new Thread(() -> {
            dispatcher.submit(key, item, source(offset));
            submitted.countDown();
        }).start();
        return submitted;
    }

    private static Sink<String> pending(ConcurrentLinkedQueue<CompletableFuture<Void>> calls) {
        return item -> {
            CompletableFuture<Void> call = new CompletableFuture<>();
            calls.add(call);
            return call;
        };
    }

    @Test
    void permanentFailuresAreDeadLetteredWithReasonAttemptsAndSinkStatus() {
        OrderedDispatcher<String> dispatcher = dispatcher(item -> item.equals("bad")
                ? CompletableFuture.failedFuture(new PermanentDeliveryException("Marquez refused the record", "HTTP 422: {\"errors\":[\"x\"]}"))
                : CompletableFuture.completedFuture(null), 4);

        dispatcher.submit("run", "good", source(7));
        dispatcher.submit("run", "bad", source(8));
        dispatcher.beforeCommit();

        assertThat(producer.history()).hasSize(1);
        ProducerRecord<byte[], byte[]> dead = producer.history().get(0);
        assertThat(dead.topic()).isEqualTo("openlineage-events-test-dlq");
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("value-8");
        assertThat(header(dead, DeadLetters.HEADER_REASON)).isEqualTo("SINK_REJECTED");
        assertThat(header(dead, DeadLetters.HEADER_ATTEMPTS)).isEqualTo("1");
        assertThat(header(dead, DeadLetters.HEADER_SINK_STATUS)).isEqualTo("HTTP 422: {\"errors\":[\"x\"]}");
        assertThat(header(dead, "__streams.errors.offset")).isEqualTo("8");
        assertThat(header(dead, "__streams.errors.topic")).isEqualTo("openlineage-events");
        assertThat(header(dead, "original")).isEqualTo("kept");
    }

    @Test
    void aDeadLetterThatCannotBeWrittenBlocksTheCommit() {
        MockProducer<byte[], byte[]> failing = new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
        OrderedDispatcher<String> dispatcher = new OrderedDispatcher<>(
                new RetryingSink<>(item -> CompletableFuture.failedFuture(new PermanentDeliveryException("no", "HTTP 400")), policy, executor, metrics),
                new DeadLetterPublisher(failing, "{topic}-dlq", "test", metrics), barrier, metrics, new DeliveryWindow(), 4);

        dispatcher.submit("run", "bad", source(1));
        failing.errorNext(new org.apache.kafka.common.errors.TimeoutException("broker down"));

        assertThatThrownBy(dispatcher::beforeCommit).hasMessageContaining("not committing");
    }

    @Test
    void closingAbandonsRetriesSoTheCommitBarrierOpens() {
        OrderedDispatcher<String> dispatcher = dispatcher(
                item -> CompletableFuture.failedFuture(new RetryableDeliveryException("down", "connection refused")), 4);
        dispatcher.submit("run", "x", source(1));

        dispatcher.close();
        dispatcher.beforeCommit();

        assertThat(producer.history()).isEmpty();
    }

    private <T> OrderedDispatcher<T> dispatcher(Sink<T> sink, int slots) {
        return dispatcher(sink, new DeliveryWindow(), slots);
    }

    private <T> OrderedDispatcher<T> dispatcher(Sink<T> sink, DeliveryWindow window, int slots) {
        return new OrderedDispatcher<>(new RetryingSink<>(sink, policy, executor, metrics), deadLetters, barrier, metrics, window, slots);
    }

    private static SourceRecord source(long offset) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("original", "kept".getBytes(StandardCharsets.UTF_8));
        return new SourceRecord("openlineage-events", 0, offset, 1_700_000_000_000L, headers,
                "key".getBytes(StandardCharsets.UTF_8), ("value-" + offset).getBytes(StandardCharsets.UTF_8),
                new TaskId(0, 0), "deliver");
    }

    private static String header(ProducerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
