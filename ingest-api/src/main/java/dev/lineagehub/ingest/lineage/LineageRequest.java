package dev.lineagehub.ingest.lineage;

import dev.lineagehub.openlineage.InvalidEventException;
import dev.lineagehub.openlineage.OpenLineageEvent;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of {@code POST /api/v1/lineage}: one event, as Marquez takes it, or a JSON array of events
 * (a batch). Every event is checked with the consumers' parser, in its one streaming pass that also
 * reads the event's Kafka key and namespaces, so what the API accepts the consumers accept; one invalid
 * event refuses the whole request, naming it.
 */
public final class LineageRequest {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private LineageRequest() {
    }

    /** @throws InvalidEventException naming the event (its index in a batch) and the field */
    public static List<OpenLineageEvent> parse(byte[] body) {
        int first = 0;
        while (first < body.length && Character.isWhitespace(body[first])) {
            first++;
        }
        if (first == body.length || body[first] != '[') {
            return List.of(OpenLineageEvent.parse(body));
        }
        JsonNode array;
        try {
            array = JSON.readTree(body);
        } catch (IOException e) {
            throw new InvalidEventException(InvalidEventException.Reason.NOT_JSON, "not valid JSON: " + e.getMessage(), e);
        }
        if (array.isEmpty()) {
            throw new InvalidEventException(InvalidEventException.Reason.MISSING_FIELD, "the batch holds no event");
        }
        List<OpenLineageEvent> events = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            try {
                events.add(OpenLineageEvent.parse(JSON.writeValueAsBytes(array.get(i))));
            } catch (InvalidEventException e) {
                throw new InvalidEventException(e.reason(), "event [" + i + "]: " + e.getMessage(), e);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return events;
    }

}
