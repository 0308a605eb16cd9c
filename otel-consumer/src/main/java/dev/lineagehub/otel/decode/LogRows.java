package dev.lineagehub.otel.decode;

import dev.lineagehub.otel.schema.OtelSchema;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An export request as {@code otel_logs} rows, as the exporter writes them: the record's time, or
 * the time it was observed when the producer left it out; the body as pdata's {@code AsString}; ids
 * hex or empty; flags and severity number as unsigned bytes.
 */
public final class LogRows {

    private LogRows() {
    }

    public static List<TableRow> of(ExportLogsServiceRequest request) {
        List<TableRow> rows = new ArrayList<>();
        for (ResourceLogs resourceLogs : request.getResourceLogsList()) {
            Map<String, String> resource = AttributeValues.of(resourceLogs.getResource().getAttributesList());
            for (ScopeLogs scopeLogs : resourceLogs.getScopeLogsList()) {
                for (LogRecord log : scopeLogs.getLogRecordsList()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("Timestamp", EpochTime.of(log.getTimeUnixNano() != 0 ? log.getTimeUnixNano() : log.getObservedTimeUnixNano()));
                    row.put("TraceId", HexIds.traceId(log.getTraceId()));
                    row.put("SpanId", HexIds.spanId(log.getSpanId()));
                    row.put("TraceFlags", log.getFlags() & 0xFF);
                    row.put("SeverityText", log.getSeverityText());
                    row.put("SeverityNumber", log.getSeverityNumberValue() & 0xFF);
                    row.put("ServiceName", resource.getOrDefault("service.name", ""));
                    row.put("Body", AttributeValues.text(log.getBody()));
                    row.put("ResourceSchemaUrl", resourceLogs.getSchemaUrl());
                    row.put("ResourceAttributes", resource);
                    row.put("ScopeSchemaUrl", scopeLogs.getSchemaUrl());
                    row.put("ScopeName", scopeLogs.getScope().getName());
                    row.put("ScopeVersion", scopeLogs.getScope().getVersion());
                    row.put("ScopeAttributes", AttributeValues.of(scopeLogs.getScope().getAttributesList()));
                    row.put("LogAttributes", AttributeValues.of(log.getAttributesList()));
                    row.put("EventName", log.getEventName());
                    rows.add(new TableRow(OtelSchema.LOGS, row));
                }
            }
        }
        return rows;
    }
}
