package dev.lineagehub.otlp;

import dev.lineagehub.delivery.deadletter.DeadLetterReason;

/** A record that is not an OTLP export request in the topic's encoding; it goes to the dead-letter topic. */
public final class UndecodableRecordException extends RuntimeException implements DeadLetterReason {

    public UndecodableRecordException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String reasonCode() {
        return "UNDECODABLE";
    }
}
