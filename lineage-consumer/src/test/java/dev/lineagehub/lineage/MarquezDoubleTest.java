package dev.lineagehub.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** The double answers as Marquez 0.51 was measured to (shared/reference/marquez.md). */
class MarquezDoubleTest {

    private static final String VALID = """
            {"eventType":"START","eventTime":"2026-11-20T06:00:00Z","producer":"https://example.com/p",
             "schemaURL":"https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
             "run":{"runId":"0192c3c4-6b4e-7e6e-9f8e-2a8d6f0b1c2d","facets":{}},
             "job":{"namespace":"ns","name":"job","facets":{}},"inputs":[],"outputs":[]}""";

    private static MarquezDouble marquez;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws IOException {
        marquez = new MarquezDouble();
    }

    @AfterAll
    static void stop() {
        marquez.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "valid run event                 | |",
            "duplicate of the same event     | |",
            "unknown facet                   | \"facets\":{}}, | \"facets\":{\"mine\":{\"x\":1}}},",
            "unknown top-level field         | {\"eventType\" | {\"surprise\":true,\"eventType\"",
            "no eventType                    | \"eventType\":\"START\", | ",
            "unknown eventType               | \"START\" | \"LATER\"",
            "eventTime without zone          | 06:00:00Z | 06:00:00",
            "eventTime with microseconds     | 06:00:00Z | 06:00:00.123456Z",
            "eventTime as epoch number       | \"2026-11-20T06:00:00Z\" | 1795154400",
            "no schemaURL                    | \"schemaURL\":\"https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent\", | ",
            "non-UUID runId                  | 0192c3c4-6b4e-7e6e-9f8e-2a8d6f0b1c2d | my-run-42"})
    void accepts(String description, String from, String to) throws Exception {
        assertThat(post(edit(from, to), "application/json").statusCode()).isEqualTo(201);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "not JSON                       | ^ | not json",
            "a JSON array                   | ^ | [",
            "eventTime yesterday            | 2026-11-20T06:00:00Z | yesterday",
            "eventTime with a space         | 2026-11-20T06:00:00Z | 2026-11-20 06:00:00Z",
            "schemaURL not a URI            | https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent | not a uri",
            "inputs an object               | \"inputs\":[] | \"inputs\":{}",
            "known facet of the wrong shape | \"facets\":{}}, | \"facets\":{\"parent\":{\"run\":\"x\"}}},",
            "date-only nominalTime          | \"facets\":{}}, | \"facets\":{\"nominalTime\":{\"_producer\":\"p\",\"_schemaURL\":\"s\",\"nominalStartTime\":\"2026-11-20\"}}},"})
    void answers500WithCode400ForUnreadableJson(String description, String from, String to) throws Exception {
        HttpResponse<String> response = post(from.equals("^") ? to + VALID.substring(1) : edit(from, to), "application/json");
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).contains("\"code\":400");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "no run          | \"run\":{\"runId\":\"0192c3c4-6b4e-7e6e-9f8e-2a8d6f0b1c2d\",\"facets\":{}}, |                   | run must not be null",
            "no runId        | \"runId\":\"0192c3c4-6b4e-7e6e-9f8e-2a8d6f0b1c2d\",                           |                   | run.runId must not be null",
            "no producer     | \"producer\":\"https://example.com/p\",                                       |                   | producer must not be null",
            "no job name     | \"name\":\"job\",                                                           |                   | job.name must not be null",
            "facet without _producer | \"facets\":{}}, | \"facets\":{\"nominalTime\":{\"_schemaURL\":\"s\",\"nominalStartTime\":\"2026-11-20T00:00:00Z\"}}}, | run.facets.nominalTime._producer must not be null"})
    void answers422ListingMissingFields(String description, String from, String to, String error) throws Exception {
        HttpResponse<String> response = post(edit(from, to == null ? "" : to), "application/json");
        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.body()).contains(error);
    }

    @Test
    void listsAllProblemsAtOnce() throws Exception {
        String json = edit("\"producer\":\"https://example.com/p\",", "").replace("\"name\":\"job\",", "");
        assertThat(post(json, "application/json").body()).contains("producer must not be null", "job.name must not be null");
    }

    @Test
    void refusesEmptyBodiesAndOtherContentTypes() throws Exception {
        assertThat(post("", "application/json").statusCode()).isEqualTo(422);
        assertThat(post(VALID, "text/plain").statusCode()).isEqualTo(415);
    }

    @Test
    void everyStoredCopyOfAnEventLinksItsInputsAgain() throws Exception {
        String run = java.util.UUID.randomUUID().toString();
        String start = edit("0192c3c4-6b4e-7e6e-9f8e-2a8d6f0b1c2d", run)
                .replace("\"inputs\":[]", "\"inputs\":[{\"namespace\":\"s3://farm\",\"name\":\"apples\"}]");
        String complete = start.replace("\"START\"", "\"COMPLETE\"").replace("apples", "sugar");
        post(start, "application/json");
        post(start, "application/json");
        post(complete, "application/json");
        assertThat(marquez.inputLinks(run)).containsExactly("s3://farm/apples", "s3://farm/apples", "s3://farm/sugar");
    }

    private static String edit(String from, String to) {
        if (from == null) {
            return VALID;
        }
        assertThat(VALID).contains(from);
        return VALID.replace(from, to == null ? "" : to);
    }

    private HttpResponse<String> post(String body, String contentType) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(marquez.url() + "/api/v1/lineage"))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
