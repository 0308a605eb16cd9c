package dev.lineagehub.openlineage;

import dev.lineagehub.protocol.TransportKey;

import static dev.lineagehub.openlineage.InvalidEventException.Reason.BAD_EVENT_TIME;
import static dev.lineagehub.openlineage.InvalidEventException.Reason.MISSING_FIELD;
import static dev.lineagehub.openlineage.InvalidEventException.Reason.NOT_JSON;
import static dev.lineagehub.openlineage.InvalidEventException.Reason.WRONG_TYPE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lineagehub.testing.SampleEvents;

import io.openlineage.client.OpenLineage.RunEvent.EventType;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

class OpenLineageEventTest {

    private static final String VALID = """
            {"eventType":"START","eventTime":"2026-11-20T06:00:00.123Z","producer":"https://example.com/p",
             "schemaURL":"https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
             "run":{"runId":"0192c3c4-6b4e-7e6e-9f8e-2a8d6f0b1c2d","facets":{}},
             "job":{"namespace":"ns","name":"job.task","facets":{}},"inputs":[],"outputs":[]}""";

    @Test
    void readsRoutingFieldsOfARunEvent() {
        OpenLineageEvent event = parse(VALID);

        assertThat(event.kind()).isEqualTo(EventKind.RUN);
        assertThat(event.eventType()).contains("START");
        assertThat(event.eventTime()).isEqualTo(Instant.parse("2026-11-20T06:00:00.123Z"));
        assertThat(event.runId()).contains("0192c3c4-6b4e-7e6e-9f8e-2a8d6f0b1c2d");
        assertThat(event.namespace()).isEqualTo("ns");
        assertThat(event.name()).isEqualTo("job.task");
        assertThat(event.orderingKey()).isEqualTo("0192c3c4-6b4e-7e6e-9f8e-2a8d6f0b1c2d");
    }

    @Test
    void parsesEventsOfTheRealIntegrations() {
        UUID run = UUID.randomUUID();
        for (var sample : new Object[] {
                SampleEvents.airflowTask(EventType.START, run, UUID.randomUUID(), "orders_daily", "load"),
                SampleEvents.airflowTask(EventType.FAIL, run, UUID.randomUUID(), "orders_daily", "load"),
                SampleEvents.sparkJob(EventType.COMPLETE, run, "clicks_by_user"),
                SampleEvents.dbtModel(EventType.COMPLETE, run, UUID.randomUUID(), "customer_orders")}) {
            OpenLineageEvent event = OpenLineageEvent.parse(SampleEvents.json(sample));
            assertThat(event.kind()).isEqualTo(EventKind.RUN);
            assertThat(event.runId()).contains(run.toString());
            assertThat(event.runEvent().getRun().getRunId()).isEqualTo(run);
        }
    }

    @Test
    void transportKeyFromTheStreamingPassIsTheTypedClientsKey() {
        UUID run = UUID.randomUUID();
        for (var sample : new io.openlineage.client.OpenLineage.RunEvent[] {
                SampleEvents.airflowTask(EventType.START, run, UUID.randomUUID(), "orders_daily", "load"),
                SampleEvents.sparkJob(EventType.COMPLETE, run, "clicks_by_user"),
                SampleEvents.sparkSqlJob(EventType.START, run, UUID.randomUUID(), "clicks_by_user", 3),
                SampleEvents.dbtModel(EventType.COMPLETE, run, UUID.randomUUID(), "customer_orders")}) {
            OpenLineageEvent event = OpenLineageEvent.parse(SampleEvents.json(sample));
            assertThat(event.transportKey()).isEqualTo(TransportKey.of(sample));
        }
        assertThat(OpenLineageEvent.parse(SampleEvents.json(SampleEvents.datasetEvent())).transportKey())
                .isEqualTo(TransportKey.of(SampleEvents.datasetEvent()));
        assertThat(OpenLineageEvent.parse(SampleEvents.json(SampleEvents.jobEvent())).transportKey())
                .isEqualTo(TransportKey.of(SampleEvents.jobEvent()));
    }

    @Test
    void parentAndRootOfAnUnexpectedShapeFallBackLikeTheTransport() {
        String parentOnly = VALID.replace("\"runId\":\"0192c3c4-6b4e-7e6e-9f8e-2a8d6f0b1c2d\",\"facets\":{}",
                "\"runId\":\"0192c3c4-6b4e-7e6e-9f8e-2a8d6f0b1c2d\",\"facets\":{\"other\":[1,{\"job\":{}}],"
                        + "\"parent\":{\"run\":{\"runId\":\"x\"},\"job\":{\"namespace\":\"airflow\",\"name\":\"dag\"},\"root\":\"odd\"}}");
        String rootToo = parentOnly.replace("\"root\":\"odd\"",
                "\"root\":{\"run\":{},\"job\":{\"namespace\":\"airflow\",\"name\":\"top\"}}");
        String nameNotAString = parentOnly.replace("\"name\":\"dag\"", "\"name\":7");

        assertThat(parse(VALID).transportKey()).isEqualTo("run:ns/job.task");
        assertThat(parse(parentOnly).transportKey()).isEqualTo("run:airflow/dag");
        assertThat(parse(rootToo).transportKey()).isEqualTo("run:airflow/top");
        assertThat(parse(nameNotAString).transportKey()).isEqualTo("run:ns/job.task");
    }

    @Test
    void namespacesAreTheJobsThenEachDatasetsOnce() {
        String json = VALID.replace("\"inputs\":[],\"outputs\":[]",
                "\"inputs\":[{\"namespace\":\"postgres://db:5432\",\"name\":\"a\",\"facets\":{\"namespace\":{}}},"
                        + "{\"namespace\":\"ns\",\"name\":\"b\"}, 3],"
                        + "\"outputs\":[{\"name\":\"c\",\"namespace\":\"s3://bucket\"},{\"namespace\":\"postgres://db:5432\",\"name\":\"d\"}]");

        assertThat(parse(json).namespaces()).containsExactly("ns", "postgres://db:5432", "s3://bucket");
        assertThat(OpenLineageEvent.parse(SampleEvents.json(SampleEvents.datasetEvent())).namespaces())
                .containsExactly("postgres://orders-db.internal:5432");
    }

    @Test
    void datasetAndJobEventsAreRecognisedBySchemaUrl() {
        OpenLineageEvent dataset = OpenLineageEvent.parse(SampleEvents.json(SampleEvents.datasetEvent()));
        OpenLineageEvent job = OpenLineageEvent.parse(SampleEvents.json(SampleEvents.jobEvent()));

        assertThat(dataset.kind()).isEqualTo(EventKind.DATASET);
        assertThat(dataset.name()).isEqualTo("shop.public.customers");
        assertThat(dataset.runId()).isEmpty();
        assertThat(dataset.orderingKey()).isEqualTo("DATASET:postgres://orders-db.internal:5432/shop.public.customers");
        assertThat(job.kind()).isEqualTo(EventKind.JOB);
        assertThat(job.name()).isEqualTo("orders_daily.load");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "2026-11-20T06:00:00Z                | 2026-11-20T06:00:00Z",
            "2026-11-20T08:00:00+02:00           | 2026-11-20T06:00:00Z",
            "2026-11-20T06:00:00.123456Z         | 2026-11-20T06:00:00.123456Z",
            "2026-11-20T06:00:00                 | 2026-11-20T06:00:00Z",
            "2026-11-20T07:00:00+01:00[Europe/Paris] | 2026-11-20T06:00:00Z"})
    void acceptsTheEventTimesMarquezAccepts(String eventTime, String expected) {
        assertThat(parse(VALID.replace("2026-11-20T06:00:00.123Z", eventTime)).eventTime()).isEqualTo(Instant.parse(expected));
    }

    @Test
    void acceptsAnEpochNumberAsEventTime() {
        assertThat(parse(VALID.replace("\"2026-11-20T06:00:00.123Z\"", "1795154400")).eventTime())
                .isEqualTo(Instant.ofEpochSecond(1795154400L));
        assertThat(parse(VALID.replace("\"2026-11-20T06:00:00.123Z\"", "1795154400.25")).eventTime())
                .isEqualTo(Instant.ofEpochSecond(1795154400L, 250_000_000));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "not json at all                                   | NOT_JSON",
            "{\"eventTime\":                                   | NOT_JSON",
            "[1,2,3]                                           | NOT_AN_OBJECT",
            "\"a string\"                                      | NOT_AN_OBJECT"})
    void refusesWhatIsNotAJsonObject(String value, InvalidEventException.Reason reason) {
        assertThatThrownBy(() -> parse(value)).isInstanceOfSatisfying(InvalidEventException.class,
                e -> assertThat(e.reason()).isEqualTo(reason));
    }

    @Test
    void refusesTrailingContentAndEmptyValues() {
        assertThatThrownBy(() -> parse(VALID + " {}")).hasFieldOrPropertyWithValue("reason", NOT_JSON);
        assertThatThrownBy(() -> OpenLineageEvent.parse(new byte[0])).hasFieldOrPropertyWithValue("reason", NOT_JSON);
        assertThatThrownBy(() -> OpenLineageEvent.parse(null)).hasFieldOrPropertyWithValue("reason", NOT_JSON);
    }

    @Test
    void listsEveryMissingRequiredField() {
        String noRunIdNoJobNameNoProducer = VALID
                .replace("\"runId\":\"0192c3c4-6b4e-7e6e-9f8e-2a8d6f0b1c2d\",", "")
                .replace("\"name\":\"job.task\",", "")
                .replace("\"producer\":\"https://example.com/p\",", "");

        assertThatThrownBy(() -> parse(noRunIdNoJobNameNoProducer))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.reason()).isEqualTo(MISSING_FIELD))
                .hasMessageContaining("producer").hasMessageContaining("run.runId").hasMessageContaining("job.name");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\"eventTime\":\"2026-11-20T06:00:00.123Z\", | eventTime",
            "\"namespace\":\"ns\",                       | job.namespace",
            "\"job\":{\"namespace\":\"ns\",\"name\":\"job.task\",\"facets\":{}}, | job.namespace"})
    void refusesARunEventWithoutARequiredField(String removed, String field) {
        assertThatThrownBy(() -> parse(VALID.replace(removed, "")))
                .hasFieldOrPropertyWithValue("reason", MISSING_FIELD).hasMessageContaining(field);
    }

    @Test
    void emptyOrNullValuesCountAsMissing() {
        assertThatThrownBy(() -> parse(VALID.replace("\"job.task\"", "\"\""))).hasFieldOrPropertyWithValue("reason", MISSING_FIELD);
        assertThatThrownBy(() -> parse(VALID.replace("\"job.task\"", "null"))).hasFieldOrPropertyWithValue("reason", MISSING_FIELD);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"yesterday", "2026-11-20 06:00:00Z", "2026-11-20", "2026-13-45T06:00:00Z"})
    void refusesEventTimesThatDoNotParse(String eventTime) {
        assertThatThrownBy(() -> parse(VALID.replace("2026-11-20T06:00:00.123Z", eventTime)))
                .hasFieldOrPropertyWithValue("reason", BAD_EVENT_TIME).hasMessageContaining(eventTime);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\"inputs\":[]         | \"inputs\":{}",
            "\"run\":{             | \"run\":[{",
            "\"runId\":\"0192c3c4-6b4e-7e6e-9f8e-2a8d6f0b1c2d\" | \"runId\":42",
            "\"producer\":\"https://example.com/p\" | \"producer\":true"})
    void refusesWrongJsonTypes(String from, String to) {
        assertThatThrownBy(() -> parse(VALID.replace(from, to))).hasFieldOrPropertyWithValue("reason", WRONG_TYPE);
    }

    @Test
    void unknownFacetsFieldsAndEventTypesAreKept() {
        String event = VALID.replace("\"START\"", "\"SOMETHING_NEW\"")
                .replace("\"facets\":{}}", "\"facets\":{\"custom\":{\"_producer\":\"x\",\"_schemaURL\":\"y\",\"deep\":[1,{\"a\":null}]}}}")
                .replace("{\"eventType\"", "{\"extra\":{\"nested\":true},\"eventType\"");

        OpenLineageEvent parsed = parse(event);

        assertThat(parsed.eventType()).contains("SOMETHING_NEW");
        assertThat(new String(parsed.bytes(), StandardCharsets.UTF_8)).isEqualTo(event);
    }

    @Test
    void typedModelRejectsAKnownFacetOfTheWrongShape() {
        String badParent = VALID.replace("\"facets\":{}}", "\"facets\":{\"parent\":{\"run\":\"not-an-object\"}}}");

        OpenLineageEvent event = parse(badParent);

        assertThatThrownBy(event::runEvent).hasFieldOrPropertyWithValue("reason", WRONG_TYPE);
    }

    @Test
    void namespaceFilterIncludesThenExcludes() {
        NamespaceFilter filter = NamespaceFilter.of("airflow-.*|dbt", "airflow-dev");

        assertThat(filter.accepts("airflow-prod")).isTrue();
        assertThat(filter.accepts("dbt")).isTrue();
        assertThat(filter.accepts("airflow-dev")).isFalse();
        assertThat(filter.accepts("spark")).isFalse();
        assertThat(NamespaceFilter.of("", "").accepts("anything")).isTrue();
    }

    private static OpenLineageEvent parse(String json) {
        return OpenLineageEvent.parse(json.getBytes(StandardCharsets.UTF_8));
    }
}
