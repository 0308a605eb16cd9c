package dev.lineagehub.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineage.RunEvent.EventType;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** JobContext (seed 001) and the tracked call (seed 003), on what reaches the transport. */
class JobContextTest {

    private final RecordingTransport transport = new RecordingTransport();
    private LineageHub hub = LineageHub.builder("analytics", transport).build();

    @AfterEach
    void close() {
        hub.close();
    }

    @Test
    void aJobContextStartsOnOpenCompletesOnCloseAndCarriesItsSnapshotsEventsAndLogs() throws Exception {
        try (JobContext job = hub.start("daily_sales_etl", Map.of("source", "s3"))) {
            job.addInput(Dataset.of("s3://raw", "sales"));
            job.registerSnapshot("sales_curated", URI.create("s3://lake/sales_curated/2026-12-01.parquet"), "parquet",
                    Map.of("order_id", "BIGINT"));
            job.logEvent("metrics", Map.of("rows", 1200));
            job.attachLog("s3://logs/daily_sales_etl/run.log");
        }

        List<OpenLineage.RunEvent> events = transport.sentBy(hub);
        assertThat(events).extracting(OpenLineage.RunEvent::getEventType).containsExactly(EventType.START, EventType.RUNNING, EventType.COMPLETE);
        assertThat(events).extracting(e -> e.getRun().getRunId()).containsOnly(events.get(0).getRun().getRunId());
        assertThat(events.get(0).getRun().getFacets().getAdditionalProperties().get("lineagehub_metadata").getAdditionalProperties())
                .containsEntry("source", "s3");
        assertThat(events.get(1).getRun().getFacets().getAdditionalProperties().get(JobContext.EVENT_FACET).getAdditionalProperties())
                .containsEntry("type", "metrics").containsEntry("data", Map.of("rows", 1200));
        OpenLineage.RunEvent complete = events.get(2);
        assertThat(complete.getRun().getFacets().getAdditionalProperties().get(JobContext.ARTIFACTS_FACET).getAdditionalProperties().get("artifacts"))
                .isEqualTo(List.of(Map.of("type", "log", "uri", "s3://logs/daily_sales_etl/run.log")));
        OpenLineage.OutputDataset snapshot = complete.getOutputs().get(0);
        assertThat(snapshot.getNamespace()).isEqualTo("analytics");
        assertThat(snapshot.getName()).isEqualTo("sales_curated");
        assertThat(snapshot.getFacets().getSchema().getFields()).extracting(f -> f.getName() + ":" + f.getType()).containsExactly("order_id:BIGINT");
        assertThat(snapshot.getFacets().getStorage().getStorageLayer()).isEqualTo("s3");
        assertThat(snapshot.getFacets().getStorage().getFileFormat()).isEqualTo("parquet");
        assertThat(snapshot.getFacets().getVersion().getDatasetVersion()).isEqualTo("s3://lake/sales_curated/2026-12-01.parquet");
    }

    @Test
    void aThrowingJobFailsWithItsMessageAndStackTraceAndTheExceptionReachesTheCaller() throws Exception {
        assertThatThrownBy(() -> hub.run("daily_sales_etl", Map.of(), job -> {
            throw new IllegalStateException("sales_raw has no partition for 2026-12-01");
        })).isInstanceOf(IllegalStateException.class);

        OpenLineage.RunEvent fail = transport.sentBy(hub).get(1);
        assertThat(fail.getEventType()).isEqualTo(EventType.FAIL);
        OpenLineage.ErrorMessageRunFacet error = fail.getRun().getFacets().getErrorMessage();
        assertThat(error.getMessage()).contains("sales_raw has no partition");
        assertThat(error.getProgrammingLanguage()).isEqualTo("JAVA");
        assertThat(error.getStackTrace()).contains("JobContextTest");
    }

    @Test
    void aWorkerMarksFailureAndACloseAfterCloseDoesNothing() throws Exception {
        JobContext job = hub.start("etl_users", null);
        job.fail("quota exceeded");
        job.close();
        job.close();
        job.logEvent("late", Map.of());

        assertThat(transport.sentBy(hub)).extracting(OpenLineage.RunEvent::getEventType).containsExactly(EventType.START, EventType.FAIL);
    }

    @Test
    void stagesAreChildRunsNamingTheirParentAndRoot() throws Exception {
        try (JobContext dag = hub.start("orders_daily", null)) {
            try (JobContext extract = dag.stage("extract")) {
                try (JobContext ignored = extract.stage("download")) {
                    // nothing: the shape of the runs is the point
                }
            }
        }
        List<OpenLineage.RunEvent> events = transport.sentBy(hub);
        assertThat(events).extracting(e -> e.getEventType() + " " + e.getJob().getName()).containsExactly(
                "START orders_daily", "START orders_daily.extract", "START orders_daily.extract.download",
                "COMPLETE orders_daily.extract.download", "COMPLETE orders_daily.extract", "COMPLETE orders_daily");
        OpenLineage.ParentRunFacet parent = events.get(2).getRun().getFacets().getParent();
        assertThat(parent.getJob().getName()).isEqualTo("orders_daily.extract");
        assertThat(parent.getRun().getRunId()).isEqualTo(events.get(1).getRun().getRunId());
        assertThat(parent.getRoot().getJob().getName()).isEqualTo("orders_daily");
        assertThat(parent.getRoot().getRun().getRunId()).isEqualTo(events.get(0).getRun().getRunId());
        assertThat(events.get(0).getRun().getFacets().getParent()).isNull();
        assertThat(events.get(0).getJob().getFacets().getJobType().getJobType()).isEqualTo("JOB");
        assertThat(events.get(1).getJob().getFacets().getJobType().getJobType()).isEqualTo("TASK");
    }

    @Test
    void heartbeatsAreRunningEventsWhileTheContextIsOpen() throws Exception {
        hub.close();
        hub = LineageHub.builder("analytics", transport).heartbeat(Duration.ofMillis(40)).build();
        try (JobContext ignored = hub.start("long_job", null)) {
            Thread.sleep(300);
        }
        assertThat(hub.flush(Duration.ofSeconds(5))).isTrue();
        int atClose = transport.sent.size();
        Thread.sleep(150);
        List<OpenLineage.RunEvent> events = transport.sentBy(hub);
        assertThat(events).hasSize(atClose);
        assertThat(events.get(0).getEventType()).isEqualTo(EventType.START);
        assertThat(events.get(events.size() - 1).getEventType()).isEqualTo(EventType.COMPLETE);
        assertThat(events.subList(1, events.size() - 1)).hasSizeGreaterThanOrEqualTo(3)
                .allSatisfy(e -> assertThat(e.getEventType()).isEqualTo(EventType.RUNNING));
    }

    @Test
    void trackWrapsACallWithItsDatasets() throws Exception {
        int rows = hub.track("copy_users", List.of(Dataset.of("mysql://prod-db:3306", "users.table")),
                List.of(Dataset.of("s3://processed", "users.parquet")), () -> 42);

        assertThat(rows).isEqualTo(42);
        List<OpenLineage.RunEvent> events = transport.sentBy(hub);
        assertThat(events).extracting(OpenLineage.RunEvent::getEventType).containsExactly(EventType.START, EventType.COMPLETE);
        assertThat(events.get(0).getInputs()).extracting(OpenLineage.InputDataset::getName).containsExactly("users.table");
        assertThat(events.get(1).getOutputs()).extracting(OpenLineage.OutputDataset::getName).containsExactly("users.parquet");
    }

    @Test
    void aRunStartedInsideASpanCarriesItsTraceAndSpanIds() throws Exception {
        SpanContext context = SpanContext.create("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", TraceFlags.getSampled(), TraceState.getDefault());
        try (Scope ignored = Span.wrap(context).makeCurrent(); JobContext job = hub.start("traced", null)) {
            job.logEvent("progress", Map.of("pct", 50));
        }
        try (JobContext untraced = hub.start("untraced", null)) {
            untraced.logEvent("progress", Map.of());
        }

        List<OpenLineage.RunEvent> events = transport.sentBy(hub);
        assertThat(events.subList(0, 3)).allSatisfy(e -> assertThat(e.getRun().getFacets().getAdditionalProperties().get("trace").getAdditionalProperties())
                .containsEntry("traceId", "4bf92f3577b34da6a3ce929d0e0e4736").containsEntry("spanId", "00f067aa0ba902b7"));
        assertThat(events.subList(3, 6)).allSatisfy(e -> assertThat(e.getRun().getFacets().getAdditionalProperties()).doesNotContainKey("trace"));
    }
}
