package dev.lineagehub.sdk.client;

import java.util.UUID;

/** 404: the path or the named thing (a namespace, a run) does not exist. */
public final class NotFound extends HubException {

    NotFound(String message, String requestId, UUID runId) {
        super(message, 404, requestId, runId, null);
    }

    @Override
    public boolean retryable() {
        return false;
    }
}
