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
 * Creates missing dead-letter topics at start-up, with as many partitions as their input topic, so
 * dead letters do not depend on broker-side auto-creation (usually off in production). A failure —
 * no permission, say — is logged, not fatal: the topics may be managed elsewhere.
 */
final class TopicSetup {

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
            for (var result : admin.createTopics(missing).values().entrySet()) {
                try {
                    result.getValue().get(30, TimeUnit.SECONDS);
                    LOG.info("Created dead-letter topic {}", result.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Could not check or create the dead-letter topics for {}: {}", inputs, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
