package dev.lineagehub.otel.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.lineagehub.otel.testing.OtelClickHouse;
import dev.lineagehub.testing.clickhouse.ClickHouseHttpFixture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;

/** What each kind of failure looks like through clickhouse-jdbc, on the real engine's answers. */
class RefusalTest {

    private static ClickHouseHttpFixture clickhouse;

    @BeforeAll
    static void start() throws Exception {
        clickhouse = OtelClickHouse.withSchema();
    }

    @AfterAll
    static void stop() {
        clickhouse.close();
    }

    @Test
    void aValueOfTheWrongTypeIsARefusalWithItsCodeAndName() {
        Refusal refusal = refusal("INSERT INTO otel.otel_traces (Timestamp, Duration) VALUES (now64(9), 'forty two')");
        assertThat(refusal.kind()).isEqualTo(Refusal.Kind.REFUSED);
        assertThat(refusal.code()).isPositive();
        assertThat(refusal.status()).matches("ClickHouse code \\d+ [A-Z_]+");
        assertThat(refusal.message()).doesNotContain("\n");
    }

    @Test
    void aReadOnlyServerSaysNotNow() {
        clickhouse.withSettings("INSERT INTO otel.otel_traces", Map.of("readonly", "1"), 1);
        Refusal refusal = refusal("INSERT INTO otel.otel_traces SELECT * FROM otel.otel_traces WHERE 0");
        assertThat(refusal.kind()).isEqualTo(Refusal.Kind.LATER);
        assertThat(refusal.status()).isEqualTo("ClickHouse code 164 READONLY");
    }

    @Test
    void aProxysBadGatewayIsNoAnswer() {
        clickhouse.answerAsProxy(502, 1);
        assertThat(refusal("SELECT 1").kind()).isEqualTo(Refusal.Kind.UNREACHABLE);
    }

    @Test
    void aClosedPortIsNoAnswer() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        assertThat(refusal("jdbc:clickhouse:http://127.0.0.1:" + port + "/default", "SELECT 1").kind()).isEqualTo(Refusal.Kind.UNREACHABLE);
    }

    private static Refusal refusal(String sql) {
        return refusal(clickhouse.jdbcUrl(), sql);
    }

    private static Refusal refusal(String url, String sql) {
        Properties properties = new Properties();
        properties.setProperty("user", "default");
        properties.setProperty("password", "");
        properties.setProperty("retry", "0");
        SQLException failure = catchThrowableOfType(() -> {
            try (Connection connection = DriverManager.getConnection(url, properties); Statement statement = connection.createStatement()) {
                statement.execute(sql);
            }
        }, SQLException.class);
        assertThat((Throwable) failure).as(sql).isNotNull();
        return Refusal.of(failure);
    }
}
