package dev.lineagehub.openlineage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lineagehub.delivery.deadletter.DeadLetters;
import dev.lineagehub.delivery.PermanentDeliveryException;
import dev.lineagehub.testing.Await;
import dev.lineagehub.testing.SampleEvents;
import dev.lineagehub.testing.TestRuntimeContext;

import io.openlineage.client.OpenLineage.RunEvent.EventType;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Any bytes as key, value and headers — random, events cut short, events with a byte changed, real
 * events — through the OpenLineage topology of lineage-consumer and datahub-consumer: every record is
 * delivered, filtered or dead-lettered with a reason, nothing escapes the runtime, nothing stays unresolved.
 */
class OpenLineageInputPropertiesTest {

    private static final String TOPIC = "openlineage-events";
    private static final byte[] EVENT = SampleEvents.json(
            SampleEvents.airflowTask(EventType.COMPLETE, UUID.randomUUID(), UUID.randomUUID(), "orders_daily", "load"));

    record Input(byte[] key, byte[] value, List<byte[]> headerValues) {
    }

    @Property(tries = 60)
    void everyRecordIsDeliveredFilteredOrDeadLetteredWithAReason(@ForAll("records") @Size(min = 1, max = 25) List<Input> records)
            throws Exception {
        AtomicInteger delivered = new AtomicInteger();
        TestRuntimeContext context = new TestRuntimeContext();
        OpenLineageSettings settings = new OpenLineageSettings(TOPIC, NamespaceFilter.of("", "^skip.*"), 4, OrderBy.KEY, false);
        try (TopologyTestDriver driver = new TopologyTestDriver(OpenLineageTopology.build(settings, "test sink", event -> {
            if (event.namespace().contains("refused")) {
                return CompletableFuture.failedFuture(new PermanentDeliveryException("refused", "HTTP 422"));
            }
            delivered.incrementAndGet();
            return CompletableFuture.completedFuture(null);
        }, context), context.streamsProperties())) {
            TestInputTopic<byte[], byte[]> input = driver.createInputTopic(TOPIC, new ByteArraySerializer(), new ByteArraySerializer());
            for (Input record : records) {
                RecordHeaders headers = new RecordHeaders();
                for (int h = 0; h < record.headerValues().size(); h++) {
                    headers.add("h" + h, record.headerValues().get(h));
                }
                input.pipeInput(new TestRecord<>(record.key(), record.value(), headers));
            }
            Await.until(Duration.ofSeconds(10), () -> context.offsets().trackers().values().stream().allMatch(t -> t.unresolvedCount() == 0),
                    () -> "every record resolved");
            var dead = context.deadLetterProducer().history();
            assertThat(dead).allSatisfy(letter -> assertThat(letter.headers().lastHeader(DeadLetters.HEADER_REASON)).isNotNull());
            double filtered = context.registry().get("lineagehub.filtered").counter().count();
            assertThat(delivered.get() + dead.size() + (long) filtered).as("delivered + dead-lettered + filtered").isEqualTo(records.size());
        } finally {
            context.close();
        }
    }

    @Provide
    Arbitrary<List<Input>> records() {
        Arbitrary<byte[]> anyBytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        Arbitrary<byte[]> cutShort = Arbitraries.integers().between(0, EVENT.length - 1).map(end -> Arrays.copyOf(EVENT, end));
        Arbitrary<byte[]> oneByteChanged = Combinators.combine(Arbitraries.integers().between(0, EVENT.length - 1), Arbitraries.bytes())
                .as((at, value) -> {
                    byte[] changed = EVENT.clone();
                    changed[at] = value;
                    return changed;
                });
        Arbitrary<byte[]> renamed = Arbitraries.of("skip-me", "refused-ns", "airflow-prod", "名前", "a\u0000b", "")
                .map(namespace -> new String(EVENT, StandardCharsets.UTF_8).replace("\"airflow-prod\"", "\"" + namespace.replace("\u0000", "\\u0000") + "\"")
                        .getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> value = Arbitraries.frequencyOf(
                Tuple.of(3, anyBytes), Tuple.of(3, cutShort), Tuple.of(3, oneByteChanged),
                Tuple.of(3, renamed), Tuple.of(1, Arbitraries.just(null)));
        Arbitrary<byte[]> key = Arbitraries.frequencyOf(Tuple.of(3, anyBytes), Tuple.of(1, Arbitraries.just(null)));
        Arbitrary<List<byte[]>> headers = Arbitraries.frequencyOf(Tuple.of(3, anyBytes),
                Tuple.of(1, Arbitraries.just(null))).list().ofMaxSize(3);
        return Combinators.combine(key, value, headers).as(Input::new).list();
    }
}
