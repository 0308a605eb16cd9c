package dev.lineagehub.sdk.client;

import java.util.UUID;

/** 409: the request contradicts what the server holds (a namespace owned by someone else, one that exists). */
public final class Conflict extends HubException {

    Conflict(String message, String requestId, UUID runId) {
        super(message, 409, requestId, runId, null);
    }

    @Override
    public boolean retryable() {
        return false;
    }
}
