package dev.lineagehub.runtime;

import dev.lineagehub.delivery.DeadLetters;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
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

    private TopicSetup() {
    }

    static void ensureDeadLetterTopics(Map<String, Object> kafka, List<String> inputs, String template) {
        try (Admin admin = Admin.create(ClientSettings.admin(kafka))) {
            Map<String, TopicDescription> existing = admin.describeTopics(inputs).allTopicNames().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (String input : inputs) {
                int partitions = existing.get(input).partitions().size();
                missing.add(new NewTopic(DeadLetters.topicFor(template, input), Optional.of(partitions), Optional.empty()));
            }
            create(admin, missing);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Could not check or create the dead-letter topics for {}: {}", inputs, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
