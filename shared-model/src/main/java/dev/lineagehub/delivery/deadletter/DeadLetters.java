package dev.lineagehub.delivery.deadletter;

import dev.lineagehub.delivery.DeliveryException;

import static org.apache.kafka.streams.errors.internals.ExceptionHandlerUtils.HEADER_ERRORS_EXCEPTION_MESSAGE_NAME;
import static org.apache.kafka.streams.errors.internals.ExceptionHandlerUtils.HEADER_ERRORS_EXCEPTION_NAME;
import static org.apache.kafka.streams.errors.internals.ExceptionHandlerUtils.HEADER_ERRORS_OFFSET_NAME;
import static org.apache.kafka.streams.errors.internals.ExceptionHandlerUtils.HEADER_ERRORS_PARTITION_NAME;
import static org.apache.kafka.streams.errors.internals.ExceptionHandlerUtils.HEADER_ERRORS_TOPIC_NAME;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.internals.ExceptionHandlerUtils;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

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
    /** On a truncated dead letter: the reason the record was refused, and its key + value size in bytes. */
    public static final String HEADER_ORIGINAL_REASON = "__lineagehub.errors.original.reason";
    public static final String HEADER_ORIGINAL_SIZE = "__lineagehub.errors.original.size";

    /** Reason code of failures that carry none: an unexpected exception while processing the record. */
    public static final String PROCESSING_ERROR = "PROCESSING_ERROR";
    /** Reason code of a dead letter too large for the dead-letter topic, written truncated. */
    public static final String RECORD_TOO_LARGE = "RECORD_TOO_LARGE";
    /**
     * Room a dead letter takes beyond its record: the error headers, the stack trace the largest of them (a few KB in
     * practice, 64 KiB leaves room for deep ones). Dead-letter topics are sized by it.
     */
    public static final int HEADERS_BYTES = 64 * 1024;
    /** Bytes of the key, the value and each text header a truncated dead letter keeps. */
    public static final int EXCERPT_BYTES = 1024;

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
        addOurs(record, reasonOf(failure), failure, attempts, consumer);
        return record;
    }

    /**
     * A dead letter that fits any topic: the first {@value #EXCERPT_BYTES} bytes of key and value, where
     * the record came from, why, and how large it was; the original headers and stack trace are left out.
     */
    public static ProducerRecord<byte[], byte[]> truncated(String deadLetterTopic, ErrorHandlerContext source,
                                                           Exception failure, int attempts, String consumer) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(deadLetterTopic, null,
                excerpt(source.sourceRawKey()), excerpt(source.sourceRawValue()));
        header(record, HEADER_ERRORS_EXCEPTION_NAME, failure.getClass().getName());
        header(record, HEADER_ERRORS_EXCEPTION_MESSAGE_NAME, clip(failure.getMessage()));
        header(record, HEADER_ERRORS_TOPIC_NAME, source.topic());
        header(record, HEADER_ERRORS_PARTITION_NAME, Integer.toString(source.partition()));
        header(record, HEADER_ERRORS_OFFSET_NAME, Long.toString(source.offset()));
        header(record, HEADER_ORIGINAL_REASON, reasonOf(failure));
        header(record, HEADER_ORIGINAL_SIZE, Integer.toString(length(source.sourceRawKey()) + length(source.sourceRawValue())));
        addOurs(record, RECORD_TOO_LARGE, failure, attempts, consumer);
        return record;
    }

    public static boolean isTruncated(ProducerRecord<byte[], byte[]> record) {
        return RECORD_TOO_LARGE.equals(reasonOf(record));
    }

    /** The reason header of a dead-letter record. */
    public static String reasonOf(ProducerRecord<byte[], byte[]> record) {
        Header reason = record.headers().lastHeader(HEADER_REASON);
        return reason == null ? PROCESSING_ERROR : new String(reason.value(), StandardCharsets.UTF_8);
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

    private static void addOurs(ProducerRecord<byte[], byte[]> record, String reason, Exception failure, int attempts,
                                String consumer) {
        header(record, HEADER_REASON, reason);
        header(record, HEADER_ATTEMPTS, Integer.toString(attempts));
        header(record, HEADER_CONSUMER, consumer);
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof DeliveryException delivery) {
                header(record, HEADER_SINK_STATUS, delivery.sinkStatus());
                break;
            }
        }
    }

    private static byte[] excerpt(byte[] bytes) {
        return bytes == null || bytes.length <= EXCERPT_BYTES ? bytes : Arrays.copyOf(bytes, EXCERPT_BYTES);
    }

    private static String clip(String text) {
        return text == null || text.length() <= EXCERPT_BYTES ? text : text.substring(0, EXCERPT_BYTES) + "...";
    }

    private static int length(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }

    private static void header(ProducerRecord<byte[], byte[]> record, String name, String value) {
        if (value != null) {
            record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
        }
    }
}
