package dev.lineagehub.otel.testing;

import dev.lineagehub.testing.TestKafka;

import com.google.protobuf.ByteString;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.resource.v1.Resource;

import java.time.Instant;
import java.util.HexFormat;

/**
 * OTLP logs export requests as the Collector's Kafka exporter writes them: record r is one log line of
 * trace r ({@link SpanRequests#traceId}) with the attribute {@value #RECORD} = r, so the table can be
 * counted by id and joined with the trace.
 */
public final class LogRequests {

    public static final String RECORD = "record";

    private LogRequests() {
    }

    public static void publish(TestKafka kafka, String topic, int from, int count) {
        long now = Instant.now().getEpochSecond() * 1_000_000_000L;
        for (int r = from; r < from + count; r++) {
            ExportLogsServiceRequest request = ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
                    .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
                            .setValue(AnyValue.newBuilder().setStringValue("checkout"))))
                    .addScopeLogs(ScopeLogs.newBuilder().addLogRecords(LogRecord.newBuilder()
                            .setTimeUnixNano(now).setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_INFO).setSeverityText("INFO")
                            .setBody(AnyValue.newBuilder().setStringValue("order " + r + " checked out"))
                            .setTraceId(ByteString.copyFrom(HexFormat.of().parseHex(SpanRequests.traceId(r))))
                            .addAttributes(KeyValue.newBuilder().setKey(RECORD)
                                    .setValue(AnyValue.newBuilder().setStringValue(String.valueOf(r)))))))
                    .build();
            kafka.send(topic, null, request.toByteArray());
        }
        kafka.flush();
    }
}
