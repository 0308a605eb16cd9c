package dev.lineagehub.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;

class HttpFailuresTest {

    @ParameterizedTest
    @ValueSource(ints = {408, 429, 500, 502, 503, 504, 401, 403})
    void retriesTransientAndAuthorisationFailures(int status) {
        assertThat(HttpFailures.forStatus("Marquez", status, null, "")).isInstanceOf(RetryableDeliveryException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 404, 409, 413, 415, 422})
    void otherClientErrorsArePermanent(int status) {
        DeliveryException failure = HttpFailures.forStatus("Marquez", status, null, "{\"errors\":[\"run must not be null\"]}");
        assertThat(failure).isInstanceOf(PermanentDeliveryException.class);
        assertThat(failure.sinkStatus()).isEqualTo("HTTP " + status + ": {\"errors\":[\"run must not be null\"]}");
    }

    @Test
    void retryAfterReachesTheException() {
        RetryableDeliveryException failure = (RetryableDeliveryException) HttpFailures.forStatus("GMS", 429, "3", "slow down");
        assertThat(failure.retryAfter()).contains(Duration.ofSeconds(3));
    }

    @Test
    void longBodiesAreCut() {
        String status = HttpFailures.describe(500, "x".repeat(5000));
        assertThat(status).hasSizeLessThan(1100).endsWith("...");
    }
}
