package dev.lineagehub.local.traffic;

import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineage.RunEvent.EventType;
import io.openlineage.client.OpenLineageClient;
import io.openlineage.client.transports.ApiKeyTokenProvider;
import io.openlineage.client.transports.HttpConfig;
import io.openlineage.client.transports.HttpTransport;
import io.openlineage.client.transports.KafkaConfig;
import io.openlineage.client.transports.KafkaTransport;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

import java.net.URI;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Publishes OpenLineage runs the way Airflow and Spark do: Airflow through the OpenLineage Java
 * client's own Kafka transport (which keys each event {@code run:{namespace}/{name}} of its root job),
 * Spark through its HTTP transport into ingest-api, with the API key of its namespace.
 *
 * <p>Each cycle is one run of the {@code orders_daily} DAG: {@code extract_orders} copies Postgres to
 * the lake, then {@code load_warehouse} and {@code load_search} both read that copy (the fan-out); and
 * one Spark job that fails. Every run carries a {@code trace} run facet with the id of the trace that
 * {@link TelemetryTraffic} publishes for the same cycle number, so ClickHouse can join runs with spans.
 */
public final class LineageTraffic implements AutoCloseable {

    private static final URI AIRFLOW = URI.create("https://github.com/apache/airflow/tree/providers-openlineage/2.7.0");
    private static final URI SPARK = URI.create("https://github.com/OpenLineage/OpenLineage/tree/1.39.0/integration/spark");
    private static final String DAG_NAMESPACE = "airflow-local";
    private static final String DAG = "orders_daily";
    private static final Dataset ORDERS = new Dataset("postgres://orders-db:5432", "shop.public.orders");
    private static final Dataset LAKE_COPY = new Dataset("s3://analytics-lake", "raw/orders");
    private static final List<Dataset> NONE = List.of();

    private record Dataset(String namespace, String name) {
    }

    private final OpenLineageClient client;
    private final OpenLineageClient http;
    private final OpenLineage airflow = new OpenLineage(AIRFLOW);
    private final OpenLineage spark = new OpenLineage(SPARK);

    /** @param ingestUrl ingest-api's base URL, which Spark's events go to with {@code apiKey} */
    public LineageTraffic(String bootstrapServers, String topic, URI ingestUrl, String apiKey) {
        Properties producer = new Properties();
        producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        producer.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producer.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producer.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        this.client = new OpenLineageClient(new KafkaTransport(new KafkaConfig(topic, null, producer)));
        HttpConfig config = new HttpConfig();
        config.setUrl(ingestUrl);
        config.setCompression(HttpConfig.Compression.GZIP);
        ApiKeyTokenProvider token = new ApiKeyTokenProvider();
        token.setApiKey(apiKey);
        config.setAuth(token);
        this.http = new OpenLineageClient(new HttpTransport(config));
    }

    /** Emits one cycle; returns how many events were published. */
    public int cycle(int trace) {
        UUID dagRun = UUID.randomUUID();
        int events = 0;
        events += emit(airflow, EventType.START, dagRun, null, DAG, NONE, NONE, trace);
        UUID extract = UUID.randomUUID();
        events += emit(airflow, EventType.START, extract, dagRun, DAG + ".extract_orders", List.of(ORDERS), List.of(LAKE_COPY), trace);
        events += emit(airflow, EventType.COMPLETE, extract, dagRun, DAG + ".extract_orders", List.of(ORDERS), List.of(LAKE_COPY), trace);
        Map<String, Dataset> loads = Map.of("load_warehouse", new Dataset("snowflake://acme-xy12345", "ANALYTICS.MARTS.ORDERS"),
                "load_search", new Dataset("elasticsearch://search:9200", "orders"));
        for (Map.Entry<String, Dataset> load : new TreeMap<>(loads).entrySet()) {
            UUID run = UUID.randomUUID();
            String task = DAG + "." + load.getKey();
            events += emit(airflow, EventType.START, run, dagRun, task, List.of(LAKE_COPY), List.of(load.getValue()), trace);
            events += emit(airflow, EventType.COMPLETE, run, dagRun, task, List.of(LAKE_COPY), List.of(load.getValue()), trace);
        }
        events += emit(airflow, EventType.COMPLETE, dagRun, null, DAG, NONE, NONE, trace);

        UUID sparkRun = UUID.randomUUID();
        List<Dataset> clicks = List.of(new Dataset("s3a://raw-events", "clicks"));
        List<Dataset> rollup = List.of(new Dataset("hdfs://namenode:8020", "/warehouse/sessions_rollup"));
        events += emit(spark, EventType.START, sparkRun, null, "sessions_rollup", clicks, rollup, trace);
        events += emit(spark, EventType.FAIL, sparkRun, null, "sessions_rollup", clicks, rollup, trace);
        return events;
    }

    private int emit(OpenLineage ol, EventType type, UUID runId, UUID dagRun, String job,
                     List<Dataset> inputs, List<Dataset> outputs, int trace) {
        boolean isSpark = ol == spark;
        String namespace = isSpark ? "spark-local" : DAG_NAMESPACE;
        OpenLineage.RunFacetsBuilder facets = ol.newRunFacetsBuilder()
                .processing_engine(ol.newProcessingEngineRunFacetBuilder().name(isSpark ? "spark" : "Airflow")
                        .version(isSpark ? "3.5.3" : "2.10.4").build());
        OpenLineage.RunFacet traceFacet = ol.newRunFacet();
        traceFacet.getAdditionalProperties().put("traceId", SpanRequests.traceIdHex(trace));
        traceFacet.getAdditionalProperties().put("spanId", SpanRequests.rootSpanIdHex(trace));
        facets.put("trace", traceFacet);
        if (dagRun != null) {
            facets.parent(ol.newParentRunFacetBuilder()
                    .run(ol.newParentRunFacetRunBuilder().runId(dagRun).build())
                    .job(ol.newParentRunFacetJobBuilder().namespace(DAG_NAMESPACE).name(DAG).build())
                    .root(ol.newParentRunFacetRootBuilder()
                            .run(ol.newRootRunBuilder().runId(dagRun).build())
                            .job(ol.newRootJobBuilder().namespace(DAG_NAMESPACE).name(DAG).build())
                            .build())
                    .build());
        }
        if (type == EventType.FAIL) {
            facets.errorMessage(ol.newErrorMessageRunFacetBuilder().programmingLanguage("scala")
                    .message("org.apache.spark.sql.AnalysisException: [PATH_NOT_FOUND] Path does not exist: s3a://raw-events/clicks")
                    .build());
        }
        String jobType = isSpark ? "SQL_JOB" : dagRun == null ? "DAG" : "TASK";
        (isSpark ? http : client).emit(ol.newRunEventBuilder()
                .eventType(type)
                .eventTime(ZonedDateTime.now())
                .run(ol.newRunBuilder().runId(runId).facets(facets.build()).build())
                .job(ol.newJobBuilder().namespace(namespace).name(job)
                        .facets(ol.newJobFacetsBuilder().jobType(ol.newJobTypeJobFacetBuilder().processingType("BATCH")
                                .integration(isSpark ? "SPARK" : "AIRFLOW").jobType(jobType).build()).build())
                        .build())
                .inputs(inputs.stream().map(d -> ol.newInputDatasetBuilder().namespace(d.namespace()).name(d.name()).build()).toList())
                .outputs(outputs.stream().map(d -> ol.newOutputDatasetBuilder().namespace(d.namespace()).name(d.name()).build()).toList())
                .build());
        return 1;
    }

    @Override
    public void close() throws Exception {
        client.close();
        http.close();
    }
}
