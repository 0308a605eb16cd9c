package dev.lineagehub.openlineage;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The unit whose events reach the sink one after another, in offset order; different units are
 * delivered concurrently. Marquez (and DataHub's run events) keep the last state they receive, so
 * what is not ordered can end in a wrong state.
 */
public enum OrderBy {

    /**
     * The Kafka record key: what the producer chose. The OpenLineage Kafka transport keys a run by its
     * root (or parent) job, so a parent run and its children's runs share a key and stay in order; runs
     * of one job stay in order too. A record without a key falls back to {@link #RUN}.
     */
    KEY,
    /** The run (or, for dataset and job events, the dataset or job): more concurrency, parents and children unordered. */
    RUN,
    /** Everything of the partition one after another: the producer's order exactly, one call at a time per partition. */
    PARTITION;

    /** The ordering unit of an event read with this Kafka key. */
    public String unitOf(byte[] kafkaKey, OpenLineageEvent event) {
        return switch (this) {
            // ISO-8859-1 maps every byte to one char: distinct keys stay distinct whatever their encoding.
            case KEY -> kafkaKey == null ? event.orderingKey() : "key:" + new String(kafkaKey, StandardCharsets.ISO_8859_1);
            case RUN -> event.orderingKey();
            case PARTITION -> "partition";
        };
    }

    public static OrderBy parse(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
}
