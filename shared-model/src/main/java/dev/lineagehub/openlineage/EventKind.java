package dev.lineagehub.openlineage;

/**
 * The three OpenLineage event types. Like Marquez, the kind is read from the suffix of
 * {@code schemaURL}; an event without a recognised suffix is a {@link #RUN} event.
 */
public enum EventKind {
    RUN,
    DATASET,
    JOB;

    static EventKind fromSchemaUrl(String schemaUrl) {
        if (schemaUrl == null) {
            return RUN;
        }
        if (schemaUrl.endsWith("/DatasetEvent")) {
            return DATASET;
        }
        if (schemaUrl.endsWith("/JobEvent")) {
            return JOB;
        }
        return RUN;
    }
}
