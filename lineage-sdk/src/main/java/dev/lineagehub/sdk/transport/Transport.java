package dev.lineagehub.sdk.transport;

import dev.lineagehub.sdk.client.HubException;

import io.openlineage.client.OpenLineage;

/**
 * Where a run's events go. {@link #send} returns once the destination has acknowledged the event
 * and throws a typed {@link HubException} otherwise; retrying is the caller's (the hub's dispatcher),
 * so a transport makes exactly one attempt.
 */
public interface Transport extends AutoCloseable {

    void send(OpenLineage.RunEvent event);

    /** A short name for logs: {@code kafka openlineage-events}, {@code http http://hub:8080}. */
    String describe();

    @Override
    void close();
}
