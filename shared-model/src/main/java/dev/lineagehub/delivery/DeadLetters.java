package dev.lineagehub.delivery;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.internals.ExceptionHandlerUtils;

import java.nio.charset.StandardCharsets;

/**
 * Builds dead-letter records. Kafka Streams' own KIP-1034 builder supplies the original key, value
 * and headers plus the {@code __streams.errors.*} headers (exception, message, stacktrace, topic,
 * partition, offset); we add what only we know.
 */
public final class DeadLetters {

    public static final String HEADER_REASON = "__lineagehub.errors.reason";
    public static final String HEADER_ATTEMPTS = "__lineagehub.errors.attempts";
    public static final String HEADER_SINK_STATUS = "__lineagehub.errors.sink.status";
    public static final String HEADER_CONSUMER = "__lineagehub.errors.consumer";

    /** Reason code of failures that carry none: an unexpected exception while processing the record. */
    public static final String PROCESSING_ERROR = "PROCESSING_ERROR";

    private DeadLetters() {
    }

    /** The dead-letter topic for an input topic: {@code {topic}} in the template is replaced. */
    public static String topicFor(String template, String inputTopic) {
        return template.replace("{topic}", inputTopic);
    }

    public static ProducerRecord<byte[], byte[]> record(String deadLetterTopic, ErrorHandlerContext source,
                                                        Exception failure, int attempts, String consumer) {
        ProducerRecord<byte[], byte[]> record = ExceptionHandlerUtils.buildDeadLetterQueueRecord(
                deadLetterTopic, source.sourceRawKey(), source.sourceRawValue(), source, failure);
        header(record, HEADER_REASON, reasonOf(failure));
        header(record, HEADER_ATTEMPTS, Integer.toString(attempts));
        header(record, HEADER_CONSUMER, consumer);
        Throwable cause = failure;
        while (cause != null && !(cause instanceof DeliveryException)) {
            cause = cause.getCause();
        }
        if (cause != null) {
            header(record, HEADER_SINK_STATUS, ((DeliveryException) cause).sinkStatus());
        }
        return record;
    }

    /** The reason code of the first {@link DeadLetterReason} in the cause chain. */
    public static String reasonOf(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof DeadLetterReason reason) {
                return reason.reasonCode();
            }
        }
        return PROCESSING_ERROR;
    }

    private static void header(ProducerRecord<byte[], byte[]> record, String name, String value) {
        if (value != null) {
            record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
        }
    }
}
