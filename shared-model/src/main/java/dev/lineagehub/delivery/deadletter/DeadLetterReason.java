package dev.lineagehub.delivery.deadletter;

/**
 * A failure that sends its record to the dead-letter topic. The code is written to the
 * {@value DeadLetters#HEADER_REASON} header so a replay can select records by cause.
 */
public interface DeadLetterReason {

    String reasonCode();
}
