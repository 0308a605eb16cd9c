package dev.lineagehub.sdk.client;

import java.time.Duration;

/** The typed errors a transport raises, for tests outside this package (their constructors are the SDK's own). */
public final class Failures {

    private Failures() {
    }

    public static TransientNetworkError network(String message, boolean maybeDelivered) {
        return new TransientNetworkError(message, maybeDelivered, null, null, null);
    }

    public static ServerError server(int status, Duration retryAfter) {
        return new ServerError("HTTP " + status, status, null, null, retryAfter);
    }

    public static AuthError unauthorized(int status) {
        return new AuthError("HTTP " + status, status, null, null);
    }

    public static RejectedError rejected(String message) {
        return new RejectedError(message, 400, null, null);
    }
}
