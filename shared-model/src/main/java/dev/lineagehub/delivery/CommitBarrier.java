package dev.lineagehub.delivery;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaClientSupplier;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Holds Kafka Streams' offset commits back until the side effects of the records being committed are
 * done — the at-least-once half of the delivery contract for asynchronous and batching sinks.
 *
 * <p>Kafka Streams considers a record processed when {@code process()} returns, and commits its offset
 * at the next commit. Just before computing the offsets to commit, a task flushes its thread's producer
 * ({@code StreamTask.prepareCommit} &rarr; {@code RecordCollector.flush}), on the stream thread, and
 * Streams obtains that producer from a {@link KafkaClientSupplier}. Our supplier's producer runs the
 * {@link PreCommitHook}s registered from the same thread before it flushes: a hook waits for the thread's
 * in-flight deliveries, or inserts a pending batch. Commits on rebalance and on close take the same path,
 * and only public Kafka Streams API is involved.
 */
public final class CommitBarrier {

    /** Work that must be finished before the offsets of the records already processed are committed. */
    @FunctionalInterface
    public interface PreCommitHook {
        void beforeCommit();
    }

    /** Removes a hook when its processor closes. */
    @FunctionalInterface
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    private final Map<Thread, List<PreCommitHook>> hooks = new ConcurrentHashMap<>();
    private volatile long giveUpAtNanos = Long.MAX_VALUE;

    /** Registers a hook for the calling thread; call it from {@code Processor.init}, on the stream thread. */
    public Registration register(PreCommitHook hook) {
        Thread thread = Thread.currentThread();
        List<PreCommitHook> threadHooks = hooks.computeIfAbsent(thread, t -> new CopyOnWriteArrayList<>());
        threadHooks.add(hook);
        return () -> threadHooks.remove(hook);
    }

    void beforeCommit() {
        for (PreCommitHook hook : hooks.getOrDefault(Thread.currentThread(), List.of())) {
            hook.beforeCommit();
        }
    }

    /**
     * From now on hooks stop waiting after {@code grace}: a shutdown with the sink down then closes the
     * tasks without committing what is undelivered, and the next owner delivers it again.
     */
    public void closing(Duration grace) {
        giveUpAtNanos = System.nanoTime() + grace.toNanos();
    }

    /** True once a shutdown's grace period is over; waiting hooks must then throw. */
    public boolean givingUp() {
        return System.nanoTime() - giveUpAtNanos > 0;
    }

    /** The client supplier to hand to {@code new KafkaStreams(topology, props, supplier)}. */
    public KafkaClientSupplier clientSupplier() {
        return new KafkaClientSupplier() {
            @Override
            public Admin getAdmin(Map<String, Object> config) {
                return Admin.create(config);
            }

            @Override
            public Producer<byte[], byte[]> getProducer(Map<String, Object> config) {
                return new BarrierProducer(new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer()),
                        CommitBarrier.this);
            }

            @Override
            public Consumer<byte[], byte[]> getConsumer(Map<String, Object> config) {
                return consumer(config);
            }

            @Override
            public Consumer<byte[], byte[]> getRestoreConsumer(Map<String, Object> config) {
                return consumer(config);
            }

            @Override
            public Consumer<byte[], byte[]> getGlobalConsumer(Map<String, Object> config) {
                return consumer(config);
            }
        };
    }

    private static Consumer<byte[], byte[]> consumer(Map<String, Object> config) {
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
