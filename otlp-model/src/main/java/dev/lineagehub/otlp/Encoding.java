package dev.lineagehub.otlp;

/** How the Collector's Kafka exporter encoded a topic's records; configured per topic, not carried in headers. */
public enum Encoding {
    OTLP_PROTO,
    OTLP_JSON
}
