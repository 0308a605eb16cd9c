package dev.lineagehub.ingest.http;

import dev.lineagehub.ingest.audit.AuditLog;
import dev.lineagehub.ingest.auth.Access;
import dev.lineagehub.ingest.auth.Caller;
import dev.lineagehub.ingest.config.IngestSettings;
import dev.lineagehub.ingest.namespaces.Namespace;
import dev.lineagehub.ingest.namespaces.NamespaceStore;
import dev.lineagehub.ingest.publish.KafkaPublisher;
import dev.lineagehub.ingest.quota.Admission;
import dev.lineagehub.ingest.quota.Quotas;
import dev.lineagehub.otlp.Encoding;
import dev.lineagehub.otlp.ExportRequests;
import dev.lineagehub.otlp.OtlpDecoder;
import dev.lineagehub.otlp.UndecodableRecordException;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Message;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * OTLP/HTTP ({@code POST /v1/traces}, {@code /v1/metrics}, {@code /v1/logs}, binary protobuf or JSON,
 * gzip or not) into the topics the Collector's Kafka exporter writes, in its default encoding
 * (otlp_proto: the export request's protobuf bytes, no key), so otel-consumer reads them unchanged.
 * A protobuf request is published as it came; a JSON one as the same request in protobuf. The answer
 * is OTLP's: 200 with an empty export response in the request's encoding, 400 with a
 * {@code google.rpc.Status} for what the Collector's receiver refuses too (not an export request, an
 * id of the wrong length: the whole request, as the receiver cannot decode it, so no partial success
 * is ever answered and nothing is published that otel-consumer would dead-letter), 415 for another
 * Content-Type, 503/429 with Retry-After, which OTLP exporters retry, and 413 for a request carrying
 * more items (spans, data points, log records: what the quota counts) than the key's burst.
 */
final class OtlpRoute {

    /** The three signals: where each goes and how its requests are read and counted. */
    enum Signal {
        TRACES, METRICS, LOGS;

        String topic(IngestSettings.Topics topics) {
            return switch (this) {
                case TRACES -> topics.spans();
                case METRICS -> topics.metrics();
                case LOGS -> topics.logs();
            };
        }

        /** @throws UndecodableRecordException for what the Collector's receiver would answer 400 */
        Decoded decode(byte[] body, Encoding encoding) {
            Message request;
            long items;
            switch (this) {
                case TRACES -> {
                    var traces = OtlpDecoder.traces(body, encoding);
                    items = ExportRequests.spans(traces);
                    request = traces;
                }
                case METRICS -> {
                    var metrics = OtlpDecoder.metrics(body, encoding);
                    items = ExportRequests.dataPoints(metrics);
                    request = metrics;
                }
                default -> {
                    var logs = OtlpDecoder.logs(body, encoding);
                    items = ExportRequests.logRecords(logs);
                    request = logs;
                }
            }
            return new Decoded(encoding == Encoding.OTLP_JSON ? request.toByteArray() : body, items);
        }
    }

    /** A request as it is published (protobuf), and the spans, points or records it carries. */
    record Decoded(byte[] protobuf, long items) {
    }

    private final Access access;
    private final NamespaceStore namespaces;
    private final Quotas quotas;
    private final KafkaPublisher publisher;
    private final AuditLog audit;
    private final IngestMetrics metrics;
    private final IngestSettings.Topics topics;
    private final Duration retryAfter;

    OtlpRoute(Access access, NamespaceStore namespaces, Quotas quotas, KafkaPublisher publisher, AuditLog audit,
              IngestMetrics metrics, IngestSettings.Topics topics, Duration retryAfter) {
        this.access = access;
        this.namespaces = namespaces;
        this.quotas = quotas;
        this.publisher = publisher;
        this.audit = audit;
        this.metrics = metrics;
        this.topics = topics;
        this.retryAfter = retryAfter;
    }

    /** {@code /api/v1/telemetry/ingest}: the signal named by {@code X-Telemetry-Signal} or {@code ?signal=}, traces by default. */
    void handleAny(RoutingContext ctx) {
        String named = Optional.ofNullable(ctx.request().getHeader("X-Telemetry-Signal"))
                .orElse(Optional.ofNullable(ctx.request().getParam("signal")).orElse("traces"));
        Signal signal;
        try {
            signal = Signal.valueOf(named.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            answer(ctx, Caller.ANONYMOUS, null, 400, "unknown signal " + named + " (traces, metrics or logs)", false);
            return;
        }
        handle(ctx, signal);
    }

    void handle(RoutingContext ctx, Signal signal) {
        Optional<Encoding> encoding = encoding(ctx.request().getHeader("Content-Type"));
        boolean json = encoding.orElse(Encoding.OTLP_PROTO) == Encoding.OTLP_JSON;
        Caller caller = access.authenticate(ctx.request().getHeader("Authorization")).orElse(null);
        if (caller == null) {
            record(Caller.ANONYMOUS, signal, 401, "bad key");
            Responses.unauthorized(ctx);
            return;
        }
        Optional<String> disabled = access.disabledNamespaceOf(caller);
        if (disabled.isPresent()) {
            answer(ctx, caller, signal, 403, Responses.disabled(disabled.get()), json);
            return;
        }
        if (encoding.isEmpty()) {
            record(caller, signal, 415, "unsupported media type");
            Responses.error(ctx, 415, "Content-Type " + ctx.request().getHeader("Content-Type")
                    + " is not OTLP/HTTP's: send application/x-protobuf or application/json");
            return;
        }
        byte[] body = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
        ctx.vertx().executeBlocking(() -> signal.decode(body, encoding.get()), false).onComplete(decoded -> {
            if (decoded.failed()) {
                String message = decoded.cause() instanceof UndecodableRecordException ? decoded.cause().getMessage()
                        : "could not read the request: " + decoded.cause();
                answer(ctx, caller, signal, 400, message, json);
                return;
            }
            if (decoded.result().protobuf().length == 0) {
                answer(ctx, caller, signal, 200, null, json); // an empty export: nothing to store
                return;
            }
            Admission admission = caller.kind() != Caller.Kind.KEY ? Admission.ADMITTED : quotas.take(caller.keyId(),
                    namespaces.get(caller.namespace()).map(Namespace::quota).orElse(null), Quotas.Measure.TELEMETRY,
                    decoded.result().items());
            if (admission instanceof Admission.Later later) {
                record(caller, signal, 429, "over quota");
                Responses.retryLater(ctx, 429, later.after(), "over this key's quota of telemetry items per second");
                return;
            }
            if (admission instanceof Admission.TooLarge tooLarge) {
                answer(ctx, caller, signal, 413, tooLarge.message(), json);
                return;
            }
            publish(ctx, caller, signal, decoded.result().protobuf(), json);
        });
    }

    private void publish(RoutingContext ctx, Caller caller, Signal signal, byte[] protobuf, boolean json) {
        String topic = signal.topic(topics);
        long start = System.nanoTime();
        Future.fromCompletionStage(publisher.publish(topic, null, protobuf), ctx.vertx().getOrCreateContext())
                .onComplete(published -> {
                    if (published.succeeded()) {
                        metrics.published(topic, 1);
                        metrics.publishTime(Duration.ofNanos(System.nanoTime() - start));
                        answer(ctx, caller, signal, 200, null, json);
                    } else {
                        var failure = Responses.PublishFailure.of(published.cause(), "Kafka cannot take the export now; retry");
                        if (failure.retryable()) {
                            record(caller, signal, failure.status(), failure.outcome());
                            Responses.retryLater(ctx, failure.status(), retryAfter, failure.message());
                        } else {
                            answer(ctx, caller, signal, failure.status(), failure.message(), json);
                        }
                    }
                });
    }

    /** OTLP/HTTP's two encodings, by media type (parameters such as charset aside); empty for any other. */
    static Optional<Encoding> encoding(String contentType) {
        String type = String.valueOf(contentType).split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        return switch (type) {
            case "application/x-protobuf" -> Optional.of(Encoding.OTLP_PROTO);
            case "application/json" -> Optional.of(Encoding.OTLP_JSON);
            default -> Optional.empty();
        };
    }

    /** 200: the empty export response; an error: a google.rpc.Status, in the request's encoding. */
    private void answer(RoutingContext ctx, Caller caller, Signal signal, int status, String message, boolean json) {
        record(caller, signal, status, switch (status) {
            case 200 -> "accepted";
            case 403 -> "namespace disabled";
            case 413 -> "too large";
            default -> "invalid";
        });
        ctx.response().setStatusCode(status).putHeader("Content-Type", json ? "application/json" : "application/x-protobuf");
        if (status == 200) {
            ctx.response().end(json ? Buffer.buffer("{}") : Buffer.buffer());
        } else if (json) {
            Responses.error(ctx, status, message);
        } else {
            ctx.response().end(Buffer.buffer(rpcStatus(3, message)));
        }
    }

    private void record(Caller caller, Signal signal, int status, String outcome) {
        String endpoint = signal == null ? "telemetry" : signal.name().toLowerCase(Locale.ROOT);
        metrics.request(endpoint, status);
        audit.record(caller, endpoint, caller.namespace(), "", "", status, outcome);
    }

    /** {@code google.rpc.Status{code, message}}: field 1 varint, field 2 string (its proto is not in the OTLP jar). */
    private static byte[] rpcStatus(int code, String message) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        try {
            out.writeInt32(1, code);
            out.writeString(2, message);
            out.flush();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }
}
