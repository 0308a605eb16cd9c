package dev.lineagehub.datahub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lineagehub.datahub.mapping.DatasetUrns;
import dev.lineagehub.datahub.mapping.MappingOptions;

import com.linkedin.common.FabricType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DatasetUrnsTest {

    private final DatasetUrns urns = new DatasetUrns(MappingOptions.defaults());

    @ParameterizedTest
    @CsvSource({
            "postgres://orders-db.internal:5432, shop.public.orders, postgres, shop.public.orders",
            "mysql://db:3306, shop.orders, mysql, shop.orders",
            "kafka://broker:9092, orders-topic, kafka, orders-topic",
            "s3://analytics-lake, daily/orders, s3, analytics-lake/daily/orders",
            "s3a://raw-events, clicks/2026/11/20, s3, raw-events/clicks/2026/11/20",
            "gs://bucket, /path/file.parquet, gcs, bucket/path/file.parquet",
            "abfss://container@account.dfs.core.windows.net, dir/t, abs, container@account.dfs.core.windows.net/dir/t",
            "hdfs://namenode:8020, /warehouse/clicks_by_user, hdfs, /warehouse/clicks_by_user",
            "file://, /tmp/out.csv, file, /tmp/out.csv",
            "file, /tmp/out.csv, file, /tmp/out.csv",
            "bigquery, project.dataset.table, bigquery, project.dataset.table",
            "snowflake://acme-xy12345, ANALYTICS.MARTS.ORDERS, snowflake, ANALYTICS.MARTS.ORDERS",
            "awsathena://athena.eu-west-1.amazonaws.com, db.t, athena, db.t",
            "sqlserver://host:1433, db.dbo.t, mssql, db.dbo.t",
    })
    void platformAndNameFollowDataHubsConverter(String namespace, String name, String platform, String datasetName) {
        assertThat(urns.urn(namespace, name).toString())
                .isEqualTo("urn:li:dataset:(urn:li:dataPlatform:" + platform + "," + datasetName + ",PROD)");
    }

    @Test
    void envPlatformInstanceAndLowerCasingAreConfigurable() {
        DatasetUrns configured = new DatasetUrns(new MappingOptions(FabricType.DEV, "eu1", true, "", "openlineage"));
        assertThat(configured.urn("snowflake://acme", "ANALYTICS.MARTS.ORDERS").toString())
                .isEqualTo("urn:li:dataset:(urn:li:dataPlatform:snowflake,eu1.analytics.marts.orders,DEV)");
    }
}
