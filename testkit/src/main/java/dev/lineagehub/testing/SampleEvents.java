package dev.lineagehub.testing;

import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineage.RunEvent.EventType;
import io.openlineage.client.OpenLineageClientUtils;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Realistic OpenLineage events built with the OpenLineage Java client, shaped like what Airflow's,
 * Spark's and dbt's integrations emit: parent and root run facets, job type and processing engine
 * facets, schema and column lineage facets, SQL, error messages, output statistics.
 */
public final class SampleEvents {

    public static final URI AIRFLOW = URI.create("https://github.com/apache/airflow/tree/providers-openlineage/2.7.0");
    public static final URI SPARK = URI.create("https://github.com/OpenLineage/OpenLineage/tree/1.39.0/integration/spark");
    public static final URI DBT = URI.create("https://github.com/OpenLineage/OpenLineage/tree/1.39.0/integration/dbt");

    private static final ZonedDateTime BASE_TIME = ZonedDateTime.of(2026, 11, 20, 6, 0, 0, 0, ZoneOffset.UTC);

    private SampleEvents() {
    }

    /** An Airflow task run inside a DAG run: parent and root facets, nominal time, job type, Postgres in, S3 out. */
    public static OpenLineage.RunEvent airflowTask(EventType type, UUID runId, UUID dagRunId, String dag, String task) {
        OpenLineage ol = new OpenLineage(AIRFLOW);
        OpenLineage.RunFacetsBuilder facets = ol.newRunFacetsBuilder()
                .parent(ol.newParentRunFacetBuilder()
                        .run(ol.newParentRunFacetRunBuilder().runId(dagRunId).build())
                        .job(ol.newParentRunFacetJobBuilder().namespace("airflow-prod").name(dag).build())
                        .root(ol.newParentRunFacetRootBuilder()
                                .run(ol.newRootRunBuilder().runId(dagRunId).build())
                                .job(ol.newRootJobBuilder().namespace("airflow-prod").name(dag).build())
                                .build())
                        .build())
                .nominalTime(ol.newNominalTimeRunFacetBuilder().nominalStartTime(BASE_TIME).nominalEndTime(BASE_TIME.plusDays(1)).build())
                .processing_engine(ol.newProcessingEngineRunFacetBuilder().name("Airflow").version("2.10.4")
                        .openlineageAdapterVersion("2.7.0").build());
        if (type == EventType.FAIL) {
            facets.errorMessage(ol.newErrorMessageRunFacetBuilder()
                    .message("psycopg2.errors.UndefinedTable: relation \"public.orders_raw\" does not exist")
                    .programmingLanguage("python")
                    .stackTrace("Traceback (most recent call last):\n  File \"/opt/airflow/dags/etl.py\", line 42, in load\n"
                            + "    cursor.execute(sql)\npsycopg2.errors.UndefinedTable: relation \"public.orders_raw\" does not exist")
                    .build());
        }
        return ol.newRunEventBuilder()
                .eventType(type)
                .eventTime(timeOf(type))
                .run(ol.newRunBuilder().runId(runId).facets(facets.build()).build())
                .job(ol.newJobBuilder().namespace("airflow-prod").name(dag + "." + task)
                        .facets(ol.newJobFacetsBuilder()
                                .jobType(ol.newJobTypeJobFacetBuilder().processingType("BATCH").integration("AIRFLOW").jobType("TASK").build())
                                .sql(ol.newSQLJobFacetBuilder().query("INSERT INTO analytics.daily_orders SELECT * FROM public.orders").build())
                                .build())
                        .build())
                .inputs(List.of(ol.newInputDatasetBuilder().namespace("postgres://orders-db.internal:5432").name("shop.public.orders")
                        .facets(ol.newDatasetFacetsBuilder().schema(schema(ol, "order_id:INTEGER", "customer_id:INTEGER",
                                "amount:NUMERIC", "created_at:TIMESTAMP")).build())
                        .build()))
                .outputs(List.of(ol.newOutputDatasetBuilder().namespace("s3://analytics-lake").name("daily/orders")
                        .facets(ol.newDatasetFacetsBuilder().schema(schema(ol, "order_id:INTEGER", "amount:NUMERIC")).build())
                        .outputFacets(ol.newOutputDatasetOutputFacetsBuilder()
                                .outputStatistics(ol.newOutputStatisticsOutputDatasetFacetBuilder().rowCount(18_244L).size(2_301_554L).build())
                                .build())
                        .build()))
                .build();
    }

    /** A Spark application: processing engine facet, S3A input, Hive-style output with column lineage. */
    public static OpenLineage.RunEvent sparkJob(EventType type, UUID runId, String appName) {
        OpenLineage ol = new OpenLineage(SPARK);
        return ol.newRunEventBuilder()
                .eventType(type)
                .eventTime(timeOf(type))
                .run(ol.newRunBuilder().runId(runId).facets(ol.newRunFacetsBuilder()
                        .processing_engine(ol.newProcessingEngineRunFacetBuilder().name("spark").version("3.5.3")
                                .openlineageAdapterVersion("1.39.0").build())
                        .build()).build())
                .job(ol.newJobBuilder().namespace("spark-cluster-a").name(appName + ".execute_insert_into_hadoop_fs_relation_command")
                        .facets(ol.newJobFacetsBuilder().jobType(ol.newJobTypeJobFacetBuilder()
                                .processingType("BATCH").integration("SPARK").jobType("SQL_JOB").build()).build())
                        .build())
                .inputs(List.of(ol.newInputDatasetBuilder().namespace("s3a://raw-events").name("clicks/2026/11/20")
                        .facets(ol.newDatasetFacetsBuilder().schema(schema(ol, "user_id:string", "url:string", "ts:timestamp")).build())
                        .build()))
                .outputs(List.of(ol.newOutputDatasetBuilder().namespace("hdfs://namenode:8020").name("/warehouse/clicks_by_user")
                        .facets(ol.newDatasetFacetsBuilder()
                                .schema(schema(ol, "user_id:string", "clicks:long"))
                                .columnLineage(ol.newColumnLineageDatasetFacetBuilder()
                                        .fields(ol.newColumnLineageDatasetFacetFieldsBuilder()
                                                .put("user_id", columnFrom(ol, "s3a://raw-events", "clicks/2026/11/20", "user_id", "IDENTITY"))
                                                .put("clicks", columnFrom(ol, "s3a://raw-events", "clicks/2026/11/20", "url", "AGGREGATION"))
                                                .build())
                                        .build())
                                .build())
                        .build()))
                .build();
    }

    /** A dbt model run against Snowflake: SQL facet, job type DBT/MODEL, schema on the output. */
    public static OpenLineage.RunEvent dbtModel(EventType type, UUID runId, UUID invocationId, String model) {
        return dbtModel(type, runId, invocationId, "jaffle_shop", model);
    }

    /** A model of this dbt project: the project's invocation is its parent run. */
    public static OpenLineage.RunEvent dbtModel(EventType type, UUID runId, UUID invocationId, String project, String model) {
        OpenLineage ol = new OpenLineage(DBT);
        return ol.newRunEventBuilder()
                .eventType(type)
                .eventTime(timeOf(type))
                .run(childRun(ol, runId, invocationId, "dbt", project))
                .job(ol.newJobBuilder().namespace("dbt").name(project + ".model." + model)
                        .facets(ol.newJobFacetsBuilder()
                                .jobType(ol.newJobTypeJobFacetBuilder().processingType("BATCH").integration("DBT").jobType("MODEL").build())
                                .sql(ol.newSQLJobFacetBuilder().query("select customer_id, count(*) as orders from {{ ref('stg_orders') }} group by 1")
                                        .dialect("snowflake").build())
                                .build())
                        .build())
                .inputs(List.of(ol.newInputDatasetBuilder().namespace("snowflake://acme-xy12345").name("ANALYTICS.STAGING.STG_ORDERS").build()))
                .outputs(List.of(ol.newOutputDatasetBuilder().namespace("snowflake://acme-xy12345").name("ANALYTICS.MARTS." + model.toUpperCase())
                        .facets(ol.newDatasetFacetsBuilder().schema(schema(ol, "CUSTOMER_ID:NUMBER", "ORDERS:NUMBER")).build())
                        .build()))
                .build();
    }

    /** A minimal run of a job reading and writing the given datasets (namespace, name). */
    public static OpenLineage.RunEvent run(EventType type, UUID runId, String namespace, String job,
                                           List<String[]> inputs, List<String[]> outputs) {
        OpenLineage ol = new OpenLineage(AIRFLOW);
        return ol.newRunEventBuilder()
                .eventType(type)
                .eventTime(timeOf(type))
                .run(ol.newRunBuilder().runId(runId).build())
                .job(ol.newJobBuilder().namespace(namespace).name(job).build())
                .inputs(inputs.stream().map(d -> ol.newInputDatasetBuilder().namespace(d[0]).name(d[1]).build()).toList())
                .outputs(outputs.stream().map(d -> ol.newOutputDatasetBuilder().namespace(d[0]).name(d[1]).build()).toList())
                .build();
    }

    public static OpenLineage.DatasetEvent datasetEvent() {
        OpenLineage ol = new OpenLineage(AIRFLOW);
        return ol.newDatasetEventBuilder().eventTime(BASE_TIME)
                .dataset(ol.newStaticDatasetBuilder().namespace("postgres://orders-db.internal:5432").name("shop.public.customers")
                        .facets(ol.newDatasetFacetsBuilder().schema(schema(ol, "customer_id:INTEGER", "email:TEXT")).build())
                        .build())
                .build();
    }

    public static OpenLineage.JobEvent jobEvent() {
        OpenLineage ol = new OpenLineage(AIRFLOW);
        return ol.newJobEventBuilder().eventTime(BASE_TIME)
                .job(ol.newJobBuilder().namespace("airflow-prod").name("orders_daily.load").build())
                .inputs(List.of())
                .outputs(List.of())
                .build();
    }

    /**
     * START, RUNNING and COMPLETE of each run, interleaved across runs the way many concurrent jobs
     * publish them; runs alternate between Spark, Airflow and dbt shapes.
     */
    public static List<OpenLineage.RunEvent> interleaved(List<UUID> runs) {
        List<OpenLineage.RunEvent> events = new ArrayList<>();
        for (EventType type : List.of(EventType.START, EventType.RUNNING, EventType.COMPLETE)) {
            for (int i = 0; i < runs.size(); i++) {
                UUID run = runs.get(i);
                events.add(switch (i % 3) {
                    case 0 -> sparkJob(type, run, "app_" + i);
                    case 1 -> airflowTask(type, run, run, "dag_" + i, "task");
                    default -> dbtModel(type, run, UUID.nameUUIDFromBytes(run.toString().getBytes(StandardCharsets.UTF_8)),
                            "project_" + i, "model_" + i);
                });
            }
        }
        return events;
    }

    /**
     * Parent runs with their children, as orchestrators emit them, interleaved across families: an
     * Airflow DAG run with its task runs, a dbt invocation with its model runs, a Spark application
     * with its SQL jobs. Within a family: the parent's START, each child's START and COMPLETE, the
     * parent's COMPLETE. Keyed by {@link #kafkaKey} a family shares one key.
     */
    public static List<OpenLineage.RunEvent> families(int count, int children) {
        List<List<OpenLineage.RunEvent>> families = new ArrayList<>();
        for (int f = 0; f < count; f++) {
            UUID parent = UUID.randomUUID();
            List<OpenLineage.RunEvent> family = new ArrayList<>();
            String kind = List.of("airflow", "dbt", "spark").get(f % 3);
            String[] parentJob = switch (kind) {
                case "airflow" -> new String[] {"airflow-prod", "dag_" + f};
                case "dbt" -> new String[] {"dbt", "project_" + f};
                default -> new String[] {"spark-cluster-a", "app_" + f};
            };
            family.add(run(EventType.START, parent, parentJob[0], parentJob[1], List.of(), List.of()));
            for (int c = 0; c < children; c++) {
                UUID child = UUID.randomUUID();
                for (EventType type : List.of(EventType.START, EventType.COMPLETE)) {
                    family.add(switch (kind) {
                        case "airflow" -> airflowTask(type, child, parent, parentJob[1], "task_" + c);
                        case "dbt" -> dbtModel(type, child, parent, parentJob[1], "model_" + c);
                        default -> sparkSqlJob(type, child, parent, parentJob[1], c);
                    });
                }
            }
            family.add(run(EventType.COMPLETE, parent, parentJob[0], parentJob[1], List.of(), List.of()));
            families.add(family);
        }
        List<OpenLineage.RunEvent> events = new ArrayList<>();
        for (int step = 0; step < 2 + 2 * children; step++) {
            for (List<OpenLineage.RunEvent> family : families) {
                events.add(family.get(step));
            }
        }
        return events;
    }

    /** One SQL job of a Spark application run, its parent. */
    public static OpenLineage.RunEvent sparkSqlJob(EventType type, UUID runId, UUID applicationRunId, String appName, int job) {
        OpenLineage ol = new OpenLineage(SPARK);
        return ol.newRunEventBuilder()
                .eventType(type)
                .eventTime(timeOf(type))
                .run(childRun(ol, runId, applicationRunId, "spark-cluster-a", appName))
                .job(ol.newJobBuilder().namespace("spark-cluster-a").name(appName + ".job_" + job).build())
                .inputs(List.of(ol.newInputDatasetBuilder().namespace("s3a://raw-events").name("clicks/" + job).build()))
                .outputs(List.of(ol.newOutputDatasetBuilder().namespace("hdfs://namenode:8020").name("/warehouse/job_" + job).build()))
                .build();
    }

    public static byte[] json(Object event) {
        return OpenLineageClientUtils.toJson(event).getBytes(StandardCharsets.UTF_8);
    }

    private static ZonedDateTime timeOf(EventType type) {
        return switch (type) {
            case START -> BASE_TIME;
            case RUNNING -> BASE_TIME.plusSeconds(30);
            default -> BASE_TIME.plusSeconds(95);
        };
    }

    private static OpenLineage.SchemaDatasetFacet schema(OpenLineage ol, String... fields) {
        return ol.newSchemaDatasetFacetBuilder().fields(java.util.Arrays.stream(fields).map(f -> {
            String[] nameAndType = f.split(":");
            return ol.newSchemaDatasetFacetFieldsBuilder().name(nameAndType[0]).type(nameAndType[1]).build();
        }).toList()).build();
    }

    private static OpenLineage.ColumnLineageDatasetFacetFieldsAdditional columnFrom(
            OpenLineage ol, String namespace, String name, String field, String subtype) {
        return ol.newColumnLineageDatasetFacetFieldsAdditionalBuilder()
                .inputFields(List.of(ol.newInputFieldBuilder().namespace(namespace).name(name).field(field)
                        .transformations(List.of(ol.newInputFieldTransformationsBuilder()
                                .type("DIRECT").subtype(subtype).build()))
                        .build()))
                .build();
    }

    /** A run whose parent facet names the run, and its job, that started it. */
    private static OpenLineage.Run childRun(OpenLineage ol, UUID runId, UUID parentRunId, String parentNamespace, String parentName) {
        return ol.newRunBuilder().runId(runId).facets(ol.newRunFacetsBuilder()
                .parent(ol.newParentRunFacetBuilder()
                        .run(ol.newParentRunFacetRunBuilder().runId(parentRunId).build())
                        .job(ol.newParentRunFacetJobBuilder().namespace(parentNamespace).name(parentName).build())
                        .build())
                .build()).build();
    }
}
