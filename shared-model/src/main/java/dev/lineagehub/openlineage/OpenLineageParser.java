package dev.lineagehub.openlineage;

import dev.lineagehub.protocol.TransportKey;

import static dev.lineagehub.openlineage.InvalidEventException.Reason.BAD_EVENT_TIME;
import static dev.lineagehub.openlineage.InvalidEventException.Reason.MISSING_FIELD;
import static dev.lineagehub.openlineage.InvalidEventException.Reason.NOT_AN_OBJECT;
import static dev.lineagehub.openlineage.InvalidEventException.Reason.NOT_JSON;
import static dev.lineagehub.openlineage.InvalidEventException.Reason.TOO_DEEP;
import static dev.lineagehub.openlineage.InvalidEventException.Reason.WRONG_TYPE;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One streaming pass over an OpenLineage event: checks it is a single well-formed JSON object, picks
 * out the routing fields and refuses what Marquez would refuse for good.
 *
 * <p>Invalid: not JSON (or trailing content), not an object, missing {@code eventTime}/{@code producer},
 * a run event without {@code run.runId}/{@code job.namespace}/{@code job.name}, a job event without
 * its job, a dataset event without its dataset, wrong JSON types for those fields or for
 * {@code inputs}/{@code outputs}, an {@code eventTime} that does not parse. Marquez 0.51 accepts an
 * eventTime without zone (read as UTC) or as an epoch number, unknown facets and unknown event types,
 * so this parser does too. JSON nested deeper than {@value #MAX_DEPTH} levels is refused as
 * {@code TOO_DEEP}: Marquez (Jackson's limit) refuses it too, and no OpenLineage event needs it.
 */
final class OpenLineageParser {

    static final int MAX_DEPTH = 1000;
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
            .build();

    private OpenLineageParser() {
    }

    static OpenLineageEvent parse(byte[] value) {
        if (value == null || value.length == 0) {
            throw new InvalidEventException(NOT_JSON, "record value is empty");
        }
        try (JsonParser parser = JSON.createParser(value)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidEventException(NOT_AN_OBJECT, "event is not a JSON object");
            }
            Fields fields = new Fields();
            readEvent(parser, fields);
            if (parser.nextToken() != null) {
                throw new InvalidEventException(NOT_JSON, "trailing content after the event object");
            }
            return fields.toEvent(value);
        } catch (StreamConstraintsException e) {
            throw new InvalidEventException(e.getMessage().contains("nesting depth") ? TOO_DEEP : NOT_JSON,
                    "refused by the parser's limits: " + e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw new InvalidEventException(NOT_JSON, "not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Mutable scratch space for one pass; never escapes the parser. */
    private static final class Fields {
        String eventTime;
        boolean eventTimeIsNumber;
        String producer;
        String schemaUrl;
        String eventType;
        String runId;
        String jobNamespace;
        String jobName;
        String datasetNamespace;
        String datasetName;
        String parentNamespace;
        String parentName;
        String rootNamespace;
        String rootName;
        final Set<String> ioNamespaces = new LinkedHashSet<>();

        OpenLineageEvent toEvent(byte[] value) {
            EventKind kind = EventKind.fromSchemaUrl(schemaUrl);
            List<String> missing = new ArrayList<>();
            require(eventTime, "eventTime", missing);
            require(producer, "producer", missing);
            switch (kind) {
                case RUN -> {
                    require(runId, "run.runId", missing);
                    require(jobNamespace, "job.namespace", missing);
                    require(jobName, "job.name", missing);
                }
                case JOB -> {
                    require(jobNamespace, "job.namespace", missing);
                    require(jobName, "job.name", missing);
                }
                case DATASET -> {
                    require(datasetNamespace, "dataset.namespace", missing);
                    require(datasetName, "dataset.name", missing);
                }
            }
            if (!missing.isEmpty()) {
                throw new InvalidEventException(MISSING_FIELD, kind + " event is missing " + String.join(", ", missing));
            }
            Instant time = eventTimeIsNumber ? epochToInstant(eventTime) : parseEventTime(eventTime);
            boolean isDataset = kind == EventKind.DATASET;
            String namespace = isDataset ? datasetNamespace : jobNamespace;
            String name = isDataset ? datasetName : jobName;
            Set<String> namespaces = new LinkedHashSet<>();
            namespaces.add(namespace);
            namespaces.addAll(ioNamespaces);
            String key = switch (kind) {
                case RUN -> TransportKey.run(jobNamespace, jobName, parentNamespace, parentName, rootNamespace, rootName);
                case JOB -> TransportKey.job(jobNamespace, jobName);
                case DATASET -> TransportKey.dataset(datasetNamespace, datasetName);
            };
            return new OpenLineageEvent(kind, eventType, time, producer, kind == EventKind.RUN ? runId : null,
                    namespace, name, key, List.copyOf(namespaces), value);
        }

        private static void require(String value, String field, List<String> missing) {
            if (value == null || value.isEmpty()) {
                missing.add(field);
            }
        }
    }

    private static void readEvent(JsonParser parser, Fields fields) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken token = parser.nextToken();
            switch (field) {
                case "eventTime" -> {
                    fields.eventTimeIsNumber = token.isNumeric();
                    fields.eventTime = fields.eventTimeIsNumber ? parser.getText() : text(parser, token, field);
                }
                case "producer" -> fields.producer = text(parser, token, field);
                case "schemaURL" -> fields.schemaUrl = text(parser, token, field);
                case "eventType" -> fields.eventType = text(parser, token, field);
                case "run" -> readRun(parser, token, fields);
                case "job" -> readNamed(parser, token, "job", fields, true);
                case "dataset" -> readNamed(parser, token, "dataset", fields, false);
                case "inputs", "outputs" -> {
                    expect(token, JsonToken.START_ARRAY, field, "an array");
                    readDatasetNamespaces(parser, fields);
                }
                default -> parser.skipChildren();
            }
        }
    }

    private static void readRun(JsonParser parser, JsonToken token, Fields fields) throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return;
        }
        expect(token, JsonToken.START_OBJECT, "run", "an object");
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if (field.equals("runId")) {
                fields.runId = text(parser, value, "run.runId");
            } else if (field.equals("facets") && value == JsonToken.START_OBJECT) {
                readParent(parser, fields);
            } else {
                parser.skipChildren();
            }
        }
    }

    /**
     * From the run facets, the parent facet's job and its root's job, which key the event the way the
     * OpenLineage Kafka transport does. Read leniently: facets of an unexpected shape are skipped here.
     */
    private static void readParent(JsonParser parser, Fields fields) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String facet = parser.currentName();
            if (parser.nextToken() != JsonToken.START_OBJECT || !facet.equals("parent")) {
                parser.skipChildren();
                continue;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("job") && value == JsonToken.START_OBJECT) {
                    String[] job = readJob(parser);
                    fields.parentNamespace = job[0];
                    fields.parentName = job[1];
                } else if (field.equals("root") && value == JsonToken.START_OBJECT) {
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        boolean isJob = parser.currentName().equals("job");
                        if (parser.nextToken() == JsonToken.START_OBJECT && isJob) {
                            String[] job = readJob(parser);
                            fields.rootNamespace = job[0];
                            fields.rootName = job[1];
                        } else {
                            parser.skipChildren();
                        }
                    }
                } else {
                    parser.skipChildren();
                }
            }
        }
    }

    /** A job reference's namespace and name, either null when absent or not a string. */
    private static String[] readJob(JsonParser parser) throws IOException {
        String[] job = new String[2];
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if (value == JsonToken.VALUE_STRING && (field.equals("namespace") || field.equals("name"))) {
                job[field.equals("namespace") ? 0 : 1] = parser.getText();
            } else {
                parser.skipChildren();
            }
        }
        return job;
    }

    /** The namespace of every dataset in {@code inputs} or {@code outputs}, for what routes or isolates by namespace. */
    private static void readDatasetNamespaces(JsonParser parser, Fields fields) throws IOException {
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                parser.skipChildren();
                continue;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                boolean isNamespace = parser.currentName().equals("namespace");
                if (parser.nextToken() == JsonToken.VALUE_STRING && isNamespace) {
                    fields.ioNamespaces.add(parser.getText());
                } else {
                    parser.skipChildren();
                }
            }
        }
    }

    private static void readNamed(JsonParser parser, JsonToken token, String owner, Fields fields, boolean job)
            throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return;
        }
        expect(token, JsonToken.START_OBJECT, owner, "an object");
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "namespace" -> {
                    String namespace = text(parser, value, owner + ".namespace");
                    if (job) {
                        fields.jobNamespace = namespace;
                    } else {
                        fields.datasetNamespace = namespace;
                    }
                }
                case "name" -> {
                    String name = text(parser, value, owner + ".name");
                    if (job) {
                        fields.jobName = name;
                    } else {
                        fields.datasetName = name;
                    }
                }
                default -> parser.skipChildren();
            }
        }
    }

    /** A string field's value; JSON null reads as absent. */
    private static String text(JsonParser parser, JsonToken token, String field) throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(token, JsonToken.VALUE_STRING, field, "a string");
        return parser.getText();
    }

    private static void expect(JsonToken actual, JsonToken expected, String field, String description) {
        if (actual != expected) {
            throw new InvalidEventException(WRONG_TYPE, field + " must be " + description + ", found " + actual);
        }
    }

    private static Instant parseEventTime(String text) {
        try {
            return EventTimes.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidEventException(BAD_EVENT_TIME, "eventTime is not an ISO-8601 date-time: " + text, e);
        }
    }

    /**
     * An epoch number, read the way Jackson (and therefore Marquez) reads a number into a date-time:
     * seconds, with an optional fraction.
     */
    private static Instant epochToInstant(String number) {
        try {
            BigDecimal seconds = new BigDecimal(number);
            BigDecimal whole = seconds.setScale(0, RoundingMode.FLOOR);
            return Instant.ofEpochSecond(whole.longValueExact(), seconds.subtract(whole).movePointRight(9).intValue());
        } catch (ArithmeticException | NumberFormatException | java.time.DateTimeException e) {
            throw new InvalidEventException(BAD_EVENT_TIME, "eventTime is not a usable epoch number: " + number, e);
        }
    }
}
