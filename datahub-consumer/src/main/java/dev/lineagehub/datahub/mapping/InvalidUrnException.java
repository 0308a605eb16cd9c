package dev.lineagehub.datahub.mapping;

import dev.lineagehub.delivery.DeadLetterReason;

/** A name that no DataHub URN can hold, even encoded: the event is dead-lettered with reason {@value #REASON}. */
public final class InvalidUrnException extends IllegalArgumentException implements DeadLetterReason {

    public static final String REASON = "INVALID_URN";

    public InvalidUrnException(String message) {
        super(message);
    }

    @Override
    public String reasonCode() {
        return REASON;
    }
}
