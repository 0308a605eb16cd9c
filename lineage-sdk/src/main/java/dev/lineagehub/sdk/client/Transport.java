package dev.lineagehub.sdk.client;

import io.openlineage.client.OpenLineage;

import java.time.Duration;

/**
 * Where a run's events go. {@link #send} returns once the destination has acknowledged the event
 * and throws a typed {@link HubException} otherwise; retrying is the caller's (the hub's dispatcher),
 * so a transport makes exactly one attempt.
 */
public interface Transport extends AutoCloseable {

    /** How long one attempt of a transport may take, unless its config says otherwise. */
    Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    void send(OpenLineage.RunEvent event);

    /** A short name for logs: {@code kafka openlineage-events}, {@code http http://hub:8080}. */
    String describe();

    @Override
    void close();
}
