package dev.lineagehub.openlineage;

import dev.lineagehub.delivery.deadletter.DeadLetterReason;

/**
 * A record on an OpenLineage topic that no sink can accept. It is permanent: retrying the same
 * bytes cannot succeed, so the record goes to the dead-letter topic with {@link #reason()}.
 */
public final class InvalidEventException extends RuntimeException implements DeadLetterReason {

    /** Why an event was refused; the code is written to the dead-letter record's headers. */
    public enum Reason {
        NOT_JSON,
        NOT_AN_OBJECT,
        MISSING_FIELD,
        WRONG_TYPE,
        BAD_EVENT_TIME,
        TOO_DEEP
    }

    private final Reason reason;

    public InvalidEventException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public InvalidEventException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    @Override
    public String reasonCode() {
        return reason.name();
    }
}
