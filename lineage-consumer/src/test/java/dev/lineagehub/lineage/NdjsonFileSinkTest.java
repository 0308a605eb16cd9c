package dev.lineagehub.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lineagehub.lineage.sink.NdjsonFileSink;
import dev.lineagehub.openlineage.OpenLineageEvent;
import dev.lineagehub.testing.SampleEvents;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineageClientUtils;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

class NdjsonFileSinkTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void appendsOneCompactLinePerEventEvenWhenTheProducerPrettyPrinted(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("out/openlineage.ndjson");
        List<OpenLineage.RunEvent> events = SampleEvents.interleaved(List.of(UUID.randomUUID(), UUID.randomUUID()));
        try (NdjsonFileSink sink = new NdjsonFileSink(file)) {
            for (int i = 0; i < events.size(); i++) {
                byte[] json = i % 2 == 0 ? SampleEvents.json(events.get(i))
                        : JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(JSON.readTree(SampleEvents.json(events.get(i))));
                sink.deliver(OpenLineageEvent.parse(json)).toCompletableFuture().join();
            }
        }

        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(events.size());
        for (int i = 0; i < lines.size(); i++) {
            OpenLineage.RunEvent read = OpenLineageClientUtils.runEventFromJson(lines.get(i));
            assertThat(read.getRun().getRunId()).isEqualTo(events.get(i).getRun().getRunId());
            assertThat(read.getEventType()).isEqualTo(events.get(i).getEventType());
        }
    }

    @Test
    void aRestartAppendsInsteadOfOverwriting(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("openlineage.ndjson");
        byte[] event = SampleEvents.json(SampleEvents.interleaved(List.of(UUID.randomUUID())).get(0));
        for (int run = 0; run < 2; run++) {
            try (NdjsonFileSink sink = new NdjsonFileSink(file)) {
                sink.deliver(OpenLineageEvent.parse(event)).toCompletableFuture().join();
            }
        }
        assertThat(Files.readAllLines(file)).hasSize(2);
    }
}
