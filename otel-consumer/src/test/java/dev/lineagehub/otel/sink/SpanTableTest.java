package dev.lineagehub.otel.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lineagehub.otel.decode.SpanRow;
import dev.lineagehub.testing.clickhouse.ClickHouseHttpFixture;
import dev.lineagehub.otel.testing.OtelClickHouse;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

class SpanTableTest {

    private static ClickHouseHttpFixture clickhouse;

    @BeforeAll
    static void createSchema() throws Exception {
        clickhouse = OtelClickHouse.withSchema();
    }

    @AfterAll
    static void stop() {
        clickhouse.close();
    }

    @Test
    void insertsEveryColumnIncludingMapsAndNestedEventsAndLinks() throws Exception {
        long now = Instant.now().getEpochSecond() * 1_000_000_000L + 123_456_789L;
        SpanRow row = new SpanRow(now, "5b8efff798038103d269b633813fc60c", "eee19b7ec3c1b174", "", "",
                "GET /orders", "Server", "checkout", Map.of("service.name", "checkout"), "io.opentelemetry.servlet", "2.10.0",
                Map.of("http.route", "/orders"), 1_500_000L, "Error", "boom",
                List.of(new SpanRow.Event(now + 1000, "exception", Map.of("exception.type", "IOException"))),
                List.of(new SpanRow.Link("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", "", Map.of("k", "v"))));
        try (Connection connection = OtelClickHouse.connect(clickhouse)) {
            OtelClickHouse.insert(connection, new SpanTable("otel"), List.of(row), "otlp_spans-0-0-0");
        }
        assertThat(clickhouse.query("SELECT toUnixTimestamp64Nano(Timestamp), SpanKind, ResourceAttributes['service.name'], "
                + "SpanAttributes['http.route'], Duration, StatusMessage, Events.Name[1], Events.Attributes[1]['exception.type'], "
                + "toUnixTimestamp64Nano(Events.Timestamp[1]), Links.TraceId[1], Links.Attributes[1]['k'] "
                + "FROM otel.otel_traces WHERE SpanId = 'eee19b7ec3c1b174'"))
                .isEqualTo(String.join("\t", String.valueOf(now), "Server", "checkout", "/orders", "1500000", "boom",
                        "exception", "IOException", String.valueOf(now + 1000), "0af7651916cd43dd8448eb211c80319c", "v"));
    }

    @Test
    void aBatchInsertedTwiceWithItsTokenIsStoredOnce() throws Exception {
        List<SpanRow> batch = new ArrayList<>();
        long now = Instant.now().getEpochSecond() * 1_000_000_000L;
        for (int i = 0; i < 2_000; i++) {
            batch.add(new SpanRow(now + i, "trace-dedup", "span" + i, "", "", "work", "Internal", "batcher", Map.of(), "", "",
                    Map.of(), 1L, "Unset", "", List.of(), List.of()));
        }
        try (Connection connection = OtelClickHouse.connect(clickhouse)) {
            SpanTable table = new SpanTable("otel");
            OtelClickHouse.insert(connection, table, batch, "otlp_spans-1-100-2099");
            OtelClickHouse.insert(connection, table, batch, "otlp_spans-1-100-2099");
            OtelClickHouse.insert(connection, table, batch.subList(0, 10), "otlp_spans-1-2100-2109");
        }
        assertThat(clickhouse.query("SELECT count() FROM otel.otel_traces WHERE TraceId = 'trace-dedup'")).isEqualTo("2010");
    }
}
