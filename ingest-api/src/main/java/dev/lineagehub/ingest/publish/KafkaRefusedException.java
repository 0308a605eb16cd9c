package dev.lineagehub.ingest.publish;

/**
 * Kafka refused a write for good: the record is too large, or the API may not write the topic (not
 * authorized, an invalid topic). Retrying the same request cannot succeed, so it is never answered
 * 503; nothing of it was accepted.
 */
public final class KafkaRefusedException extends RuntimeException {

    private final boolean tooLarge;

    KafkaRefusedException(String message, boolean tooLarge, Throwable cause) {
        super(message, cause);
        this.tooLarge = tooLarge;
    }

    /** True for a record above what Kafka takes (413); false for a refusal of the API's writes (500). */
    public boolean tooLarge() {
        return tooLarge;
    }
}
