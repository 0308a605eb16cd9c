package dev.lineagehub.ingest.publish;

/** Kafka did not acknowledge a write in time: the caller is told to retry (503), nothing was accepted. */
public final class KafkaUnavailableException extends RuntimeException {

    KafkaUnavailableException(Throwable cause) {
        super("Kafka did not acknowledge the write: " + cause.getMessage(), cause);
    }
}
