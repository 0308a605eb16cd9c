package dev.lineagehub.otel.decode;

import dev.lineagehub.otlp.Encoding;
import dev.lineagehub.otlp.OtlpDecoder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lineagehub.otel.sink.RowTables;
import dev.lineagehub.testing.clickhouse.ClickHouseHttpFixture;
import dev.lineagehub.otel.testing.OtelClickHouse;

import com.google.protobuf.ByteString;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.resource.v1.Resource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.HexFormat;

/** OTLP logs into the exporter's otel_logs on the real engine, from protobuf and from OTLP/JSON. */
class LogRowsTest {

    private static final long T = 1_763_618_400_000_000_123L;
    private static final String TRACE = "5b8efff798038103d269b633813fc60c";
    private static final String SPAN = "eee19b7ec3c1b174";
    private static ClickHouseHttpFixture clickhouse;

    @BeforeAll
    static void start() throws Exception {
        clickhouse = OtelClickHouse.withSchema();
    }

    @AfterAll
    static void stop() {
        clickhouse.close();
    }

    private static KeyValue kv(String key, AnyValue value) {
        return KeyValue.newBuilder().setKey(key).setValue(value).build();
    }

    private static AnyValue str(String value) {
        return AnyValue.newBuilder().setStringValue(value).build();
    }

    @Test
    void aLogRecordLandsWithTheExportersColumnsAndJoinsItsTrace() throws Exception {
        ExportLogsServiceRequest request = ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(kv("service.name", str("billing"))))
                .setSchemaUrl("https://opentelemetry.io/schemas/1.26.0")
                .addScopeLogs(ScopeLogs.newBuilder()
                        .setScope(InstrumentationScope.newBuilder().setName("org.example.Billing").setVersion("1.2")
                                .addAttributes(kv("team", str("payments"))))
                        .addLogRecords(LogRecord.newBuilder()
                                // No event time: the exporter stores the time the record was observed.
                                .setObservedTimeUnixNano(T)
                                .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_ERROR).setSeverityText("ERROR")
                                .setBody(AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
                                        .addValues(kv("status", AnyValue.newBuilder().setIntValue(402).build()))
                                        .addValues(kv("amount", AnyValue.newBuilder().setDoubleValue(12.0).build()))))
                                .setTraceId(ByteString.copyFrom(HexFormat.of().parseHex(TRACE)))
                                .setSpanId(ByteString.copyFrom(HexFormat.of().parseHex(SPAN)))
                                .setFlags(0x101)
                                .setEventName("payment.declined")
                                .addAttributes(kv("retry", AnyValue.newBuilder().setBoolValue(true).build())))))
                .build();
        try (Connection connection = OtelClickHouse.connect(clickhouse)) {
            OtelClickHouse.insert(connection, new RowTables("otel"), LogRows.of(request), "logs-proto");
        }
        assertThat(clickhouse.query("SELECT toUnixTimestamp64Nano(Timestamp), TimestampTime = toDateTime(Timestamp), SpanId, "
                + "TraceFlags, SeverityText, SeverityNumber, ServiceName, Body, ResourceSchemaUrl, ScopeName, ScopeVersion, "
                + "ScopeAttributes['team'], LogAttributes['retry'], EventName FROM otel.otel_logs WHERE TraceId = '" + TRACE + "'"))
                .isEqualTo(String.join("\t", String.valueOf(T), "1", SPAN, "1", "ERROR", "17", "billing",
                        "{\"amount\":12,\"status\":402}", "https://opentelemetry.io/schemas/1.26.0", "org.example.Billing", "1.2",
                        "payments", "true", "payment.declined"));
    }

    @Test
    void otlpJsonLogsWithHexIdsGiveTheSameRow() {
        String json = """
                {"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"billing-json"}}]},
                 "scopeLogs":[{"scope":{"name":"json"},"logRecords":[{"timeUnixNano":"%d","severityNumber":9,
                 "severityText":"INFO","body":{"stringValue":"charged"},"traceId":"%s","spanId":"%s"}]}]}]}
                """.formatted(T, TRACE, SPAN);
        var rows = LogRows.of(OtlpDecoder.logs(json.getBytes(StandardCharsets.UTF_8), Encoding.OTLP_JSON));
        assertThat(rows).singleElement().satisfies(row -> {
            assertThat(row.columns()).containsEntry("TraceId", TRACE).containsEntry("SpanId", SPAN)
                    .containsEntry("Body", "charged").containsEntry("SeverityNumber", 9).containsEntry("ServiceName", "billing-json");
            assertThat(row.columns().get("Timestamp")).isEqualTo(EpochTime.of(T));
        });
    }
}
