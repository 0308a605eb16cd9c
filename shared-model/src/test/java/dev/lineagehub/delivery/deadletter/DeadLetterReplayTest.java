package dev.lineagehub.delivery.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lineagehub.testing.RealKafka;
import dev.lineagehub.testing.TestKafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

@ExtendWith(RealKafka.class)
class DeadLetterReplayTest {

    @Test
    void aDryRunListsAndAnAppliedRunRepublishesOnlyTheChosenReasonWithTheOriginalHeaders(TestKafka kafka) {
        String input = kafka.newTopic("openlineage-events", 2);
        String dlq = kafka.newTopic("openlineage-events-lineage-dlq", 1);
        kafka.send(deadLetter(dlq, input, "run-1", "SINK_REJECTED"));
        kafka.send(deadLetter(dlq, input, "run-2", "INVALID_JSON"));
        kafka.send(deadLetter(dlq, input, "run-3", "SINK_REJECTED"));
        kafka.flush();
        DeadLetterReplay replay = new DeadLetterReplay(Map.of("bootstrap.servers", kafka.bootstrapServers()));
        List<String> lines = new ArrayList<>();

        DeadLetterReplay.Result dryRun = replay.replay(options(dlq, false), lines::add);

        assertThat(dryRun).isEqualTo(new DeadLetterReplay.Result(3, 2, 0));
        assertThat(lines).hasSize(2).allMatch(line -> line.startsWith("would replay") && line.endsWith("-> " + input));
        assertThat(kafka.read(input, 1, Duration.ofSeconds(2))).as("a dry run publishes nothing").isEmpty();

        DeadLetterReplay.Result applied = replay.replay(options(dlq, true), line -> { });

        assertThat(applied).isEqualTo(new DeadLetterReplay.Result(3, 2, 2));
        List<ConsumerRecord<byte[], byte[]>> replayed = kafka.read(input, 2, Duration.ofSeconds(30));
        assertThat(replayed).extracting(r -> new String(r.key(), StandardCharsets.UTF_8)).containsExactlyInAnyOrder("run-1", "run-3");
        for (ConsumerRecord<byte[], byte[]> record : replayed) {
            assertThat(new String(record.headers().lastHeader("traceparent").value(), StandardCharsets.UTF_8)).isEqualTo("00-abc-01");
            assertThat(record.headers().lastHeader(DeadLetterReplay.HEADER_REPLAYED_FROM)).isNotNull();
            for (Header header : record.headers()) {
                assertThat(header.key()).doesNotStartWith("__streams.errors.").doesNotStartWith("__lineagehub.errors.");
            }
        }
    }

    @Test
    void argumentsNeedADeadLetterTopicAndApplyIsOptIn() {
        assertThat(exitCode("--reason", "SINK_REJECTED")).as("no --from").isEqualTo(2);
        assertThat(exitCode("--from", "x-dlq", "--bogus")).isEqualTo(2);
        assertThat(exitCode("--help")).isZero();
        assertThat(parsed("--from", "x-dlq").apply()).isFalse();
        assertThat(parsed("--from", "x-dlq", "--to", "y", "--apply"))
                .isEqualTo(new DeadLetterReplay.Options("x-dlq", Optional.of("y"), Optional.empty(), true));
    }

    @Test
    void helpNamesEveryOptionAndTheKafkaSettings() {
        String help = new picocli.CommandLine(new ReplayCommand(java.util.Map.of())).getUsageMessage();
        assertThat(help).contains("--from", "--to", "--reason", "--apply", "LINEAGEHUB_REPLAY_KAFKA_BOOTSTRAP_SERVERS", "Dry run");
    }

    private static DeadLetterReplay.Options parsed(String... args) {
        ReplayCommand command = new ReplayCommand(java.util.Map.of());
        new picocli.CommandLine(command).parseArgs(args);
        return command.options();
    }

    private static int exitCode(String... args) {
        picocli.CommandLine line = new picocli.CommandLine(new ReplayCommand(java.util.Map.of()));
        line.setOut(new java.io.PrintWriter(java.io.Writer.nullWriter()));
        line.setErr(new java.io.PrintWriter(java.io.Writer.nullWriter()));
        return line.execute(args);
    }

    private static DeadLetterReplay.Options options(String dlq, boolean apply) {
        return new DeadLetterReplay.Options(dlq, Optional.empty(), Optional.of("SINK_REJECTED"), apply);
    }

    private static ProducerRecord<byte[], byte[]> deadLetter(String dlq, String input, String key, String reason) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("traceparent", "00-abc-01".getBytes(StandardCharsets.UTF_8));
        headers.add("__streams.errors.topic", input.getBytes(StandardCharsets.UTF_8));
        headers.add("__streams.errors.message", "HTTP 422".getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetters.HEADER_REASON, reason.getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(dlq, null, key.getBytes(StandardCharsets.UTF_8),
                ("{\"run\":\"" + key + "\"}").getBytes(StandardCharsets.UTF_8), headers);
    }
}
