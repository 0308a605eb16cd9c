package dev.lineagehub.runtime;

import dev.lineagehub.delivery.deadletter.DeadLetters;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Creates missing topics at start-up (dead-letter topics with as many partitions as their input
 * topic; the ingest API's namespaces and audit topics), so nothing depends on broker-side
 * auto-creation (usually off in production). A failure — no permission, say — is logged, not fatal:
 * the topics may be managed elsewhere.
 */
public final class TopicSetup {

    private static final Logger LOG = LoggerFactory.getLogger(TopicSetup.class);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    private TopicSetup() {
    }

    /**
     * Creates the missing dead-letter topics, each with its input's partitions and room for the input's largest record
     * with the headers a dead letter adds, and answers, per input, the size its dead letters may reach. An input whose
     * limit cannot be read is taken at the broker's default.
     */
    static Map<String, Integer> ensureDeadLetterTopics(Admin admin, List<String> inputs, String template) {
        Map<String, Integer> needed = new HashMap<>();
        Map<String, Integer> inputLimits = RecordSizes.maxMessageBytes(admin, inputs, READ_TIMEOUT);
        inputs.forEach(input -> needed.put(input, deadLetterSize(inputLimits.getOrDefault(input, RecordSizes.DEFAULT_MAX_MESSAGE_BYTES))));
        try {
            Map<String, TopicDescription> existing = admin.describeTopics(inputs).allTopicNames().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (String input : inputs) {
                int partitions = existing.get(input).partitions().size();
                missing.add(new NewTopic(DeadLetters.topicFor(template, input), Optional.of(partitions), Optional.empty())
                        .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(needed.get(input)))));
            }
            create(admin, missing);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Could not check or create the dead-letter topics for {}: {}", inputs, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return needed;
    }

    /** The largest dead letter of a record that fits {@code inputMaxMessageBytes}: the record and the error headers. */
    static int deadLetterSize(int inputMaxMessageBytes) {
        return (int) Math.min(Integer.MAX_VALUE, (long) inputMaxMessageBytes + DeadLetters.HEADERS_BYTES);
    }

    /**
     * One line per input whose largest dead letter does not fit whole, naming what holds it back: the dead-letter
     * topic's {@code max.message.bytes} or the producer's {@code max.request.size}. Such dead letters are written
     * truncated (the reason kept), so this warns rather than refuses: the topics may be managed elsewhere.
     */
    static List<String> deadLetterMisfits(Map<String, Integer> needed, Map<String, Integer> deadLetterLimits, int maxRequestSize,
                                          String template) {
        List<String> misfits = new ArrayList<>();
        needed.forEach((input, size) -> {
            String topic = DeadLetters.topicFor(template, input);
            Integer topicLimit = deadLetterLimits.get(topic);
            if (topicLimit != null && topicLimit < size) {
                misfits.add("dead-letter topic " + topic + " takes records up to " + topicLimit + " bytes (max.message.bytes), a dead letter of "
                        + input + " may need " + size + ": larger ones are written truncated");
            }
            if (maxRequestSize < size) {
                misfits.add("the dead-letter producer sends records up to " + maxRequestSize + " bytes (max.request.size), a dead letter of "
                        + input + " may need " + size + ": larger ones are written truncated");
            }
        });
        return misfits;
    }

    /** Creates those of {@code topics} that do not exist; {@code kafka} holds any admin client settings. */
    public static void ensure(Map<String, Object> kafka, List<NewTopic> topics) {
        try (Admin admin = Admin.create(kafka)) {
            ensure(admin, topics);
        }
    }

    /** The same with the caller's admin client, for a caller that has more to ask the cluster at start. */
    public static void ensure(Admin admin, List<NewTopic> topics) {
        try {
            create(admin, topics);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Could not create the topics {}: {}", topics.stream().map(NewTopic::name).toList(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void create(Admin admin, List<NewTopic> topics) throws ExecutionException, TimeoutException, InterruptedException {
        for (var result : admin.createTopics(topics).values().entrySet()) {
            try {
                result.getValue().get(30, TimeUnit.SECONDS);
                LOG.info("Created topic {}", result.getKey());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
    }
}
