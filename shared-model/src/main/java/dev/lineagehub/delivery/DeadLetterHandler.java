package dev.lineagehub.delivery;

import dev.lineagehub.runtime.ConsumerMetrics;

import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

/**
 * Kafka Streams' processing exception handler (KIP-1033/1034) for our topologies: a record whose
 * processing throws is written to its input topic's dead-letter topic and processing resumes, so a
 * poison record can never stall a partition. Streams produces the dead letter with its own producer
 * before the input offset is committed.
 *
 * <p>Configured through {@link #TOPIC_TEMPLATE_CONFIG}, {@link #CONSUMER_CONFIG} and
 * {@link #METRICS_CONFIG} in the Streams properties.
 */
public final class DeadLetterHandler implements ProcessingExceptionHandler {

    public static final String TOPIC_TEMPLATE_CONFIG = "lineagehub.dead.letter.topic.template";
    public static final String CONSUMER_CONFIG = "lineagehub.consumer";
    public static final String METRICS_CONFIG = "lineagehub.metrics";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterHandler.class);

    private String topicTemplate;
    private String consumer;
    private ConsumerMetrics metrics;

    @Override
    public void configure(Map<String, ?> configs) {
        topicTemplate = (String) configs.get(TOPIC_TEMPLATE_CONFIG);
        consumer = (String) configs.get(CONSUMER_CONFIG);
        metrics = (ConsumerMetrics) configs.get(METRICS_CONFIG);
        if (topicTemplate == null || consumer == null || metrics == null) {
            throw new IllegalStateException(DeadLetterHandler.class.getSimpleName() + " needs " + TOPIC_TEMPLATE_CONFIG
                    + ", " + CONSUMER_CONFIG + " and " + METRICS_CONFIG);
        }
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        String reason = DeadLetters.reasonOf(exception);
        String topic = DeadLetters.topicFor(topicTemplate, context.topic());
        if (reason.equals(DeadLetters.PROCESSING_ERROR)) {
            LOG.error("Unexpected error processing {}-{}@{} in {}; dead-lettering it to {}",
                    context.topic(), context.partition(), context.offset(), context.processorNodeId(), topic, exception);
        } else {
            LOG.warn("Dead-lettering {}-{}@{} to {}, reason {}: {}",
                    context.topic(), context.partition(), context.offset(), topic, reason, exception.getMessage());
        }
        metrics.deadLettered(reason);
        return Response.resume(List.of(DeadLetters.record(topic, context, exception, 0, consumer)));
    }
}
