package dev.lineagehub.delivery;

import dev.lineagehub.protocol.HttpAnswer;
import dev.lineagehub.protocol.RetryAfter;

import java.time.Duration;
import java.time.Instant;

/**
 * What the HTTP sinks do with an answer ({@link HttpAnswer}, the table the SDK reads too, with the reasons): waiting
 * passes an overload (as an overload, so the concurrency limit backs off) or a server error; an authorisation
 * refusal is retried too, since an operator fixes it and the same records must still go through, not be
 * dead-lettered; every other refusal is the record's, permanent.
 */
public final class HttpFailures {

    private static final int BODY_EXCERPT = 1024;

    private HttpFailures() {
    }

    /** The exception for a non-2xx answer, carrying status and a bounded body excerpt. */
    public static DeliveryException forStatus(String sink, int status, String retryAfterHeader, String body) {
        String sinkStatus = describe(status, body);
        HttpAnswer answer = HttpAnswer.of(status);
        Duration retryAfter = RetryAfter.parse(retryAfterHeader, Instant.now()).orElse(null);
        if (answer == HttpAnswer.OVERLOAD) {
            return RetryableDeliveryException.overload(sink + " answered " + sinkStatus, sinkStatus, retryAfter, null);
        }
        if (answer.passesWithTime() || answer == HttpAnswer.AUTH) {
            return new RetryableDeliveryException(sink + " answered " + sinkStatus, sinkStatus, retryAfter, null);
        }
        return new PermanentDeliveryException(sink + " refused the record: " + sinkStatus, sinkStatus);
    }

    public static String describe(int status, String body) {
        if (body == null || body.isBlank()) {
            return "HTTP " + status;
        }
        String excerpt = body.length() > BODY_EXCERPT ? body.substring(0, BODY_EXCERPT) + "..." : body;
        return "HTTP " + status + ": " + excerpt.strip();
    }
}
