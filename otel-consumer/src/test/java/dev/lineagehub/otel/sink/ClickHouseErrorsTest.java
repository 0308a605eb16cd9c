package dev.lineagehub.otel.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.lineagehub.testing.clickhouse.ClickHouseHttpFixture;
import dev.lineagehub.otel.testing.OtelClickHouse;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** Which failures otel-consumer retries (the partition waits) and which it dead-letters, on real ClickHouse answers. */
class ClickHouseErrorsTest {

    @Test
    void aValueOfTheWrongTypeIsADataErrorNotRetried() throws Exception {
        try (ClickHouseHttpFixture clickhouse = OtelClickHouse.withSchema();
             Connection connection = OtelClickHouse.connect(clickhouse);
             Statement statement = connection.createStatement()) {
            SQLException refused = catchThrowableOfType(() -> statement.execute(
                    "INSERT INTO otel.otel_traces (Timestamp, Duration) VALUES (now64(9), 'forty two')"), SQLException.class);
            assertThat((Throwable) refused).isNotNull();
            assertThat(ClickHouse.isRetryable(refused)).as("code %s: %s", refused.getErrorCode(), refused.getMessage()).isFalse();
        }
    }

    @Test
    void clickHouseDownIsRetried() throws Exception {
        String url;
        try (ClickHouseHttpFixture clickhouse = OtelClickHouse.withSchema()) {
            url = clickhouse.jdbcUrl();
        }
        SQLException down = catchThrowableOfType(() -> {
            try (Connection connection = DriverManager.getConnection(url, "default", "");
                 Statement statement = connection.createStatement()) {
                statement.execute("SELECT 1");
            }
        }, SQLException.class);
        assertThat((Throwable) down).isNotNull();
        assertThat(ClickHouse.isRetryable(down)).isTrue();
    }
}
