package dev.lineagehub.delivery;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The HTTP status policy the HTTP sinks share: what to retry and for how long the server asked us
 * to wait.
 *
 * <p>Retryable: 408, 429, every 5xx, and 401/403 — an expired token or a proxy misconfiguration is
 * fixed by an operator, after which the same records must still go through, so they are not
 * dead-lettered. Every other 4xx refuses the record itself and is permanent.
 */
public final class HttpFailures {

    private static final int BODY_EXCERPT = 1024;

    private HttpFailures() {
    }

    public static boolean isRetryable(int status) {
        return status == 408 || status == 429 || status == 401 || status == 403 || status >= 500;
    }

    /** The server is up but has more than it can take: timeouts at the server or a proxy, throttling, "unavailable". */
    public static boolean isOverload(int status) {
        return status == 408 || status == 429 || status == 503 || status == 504;
    }

    /** The exception for a non-2xx answer, carrying status and a bounded body excerpt. */
    public static DeliveryException forStatus(String sink, int status, String retryAfterHeader, String body) {
        String sinkStatus = describe(status, body);
        if (isOverload(status)) {
            return RetryableDeliveryException.overload(sink + " answered " + sinkStatus, sinkStatus,
                    parseRetryAfter(retryAfterHeader, Instant.now()), null);
        }
        if (isRetryable(status)) {
            return new RetryableDeliveryException(sink + " answered " + sinkStatus, sinkStatus,
                    parseRetryAfter(retryAfterHeader, Instant.now()), null);
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

    /** {@code Retry-After} as delay-seconds or an HTTP-date; null when absent or unreadable. */
    static Duration parseRetryAfter(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.trim();
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value)));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }
}
