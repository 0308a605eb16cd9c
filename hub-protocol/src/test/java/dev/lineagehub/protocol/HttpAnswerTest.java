package dev.lineagehub.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import org.junit.jupiter.api.Test;

class HttpAnswerTest {

    @Test
    void theTableAsDocumented() {
        assertThat(HttpAnswer.of(200)).isEqualTo(HttpAnswer.SUCCESS);
        assertThat(HttpAnswer.of(204)).isEqualTo(HttpAnswer.SUCCESS);
        assertThat(HttpAnswer.of(401)).isEqualTo(HttpAnswer.AUTH);
        assertThat(HttpAnswer.of(403)).isEqualTo(HttpAnswer.AUTH);
        assertThat(HttpAnswer.of(408)).isEqualTo(HttpAnswer.OVERLOAD);
        assertThat(HttpAnswer.of(429)).isEqualTo(HttpAnswer.OVERLOAD);
        assertThat(HttpAnswer.of(503)).isEqualTo(HttpAnswer.OVERLOAD);
        assertThat(HttpAnswer.of(504)).isEqualTo(HttpAnswer.OVERLOAD);
        assertThat(HttpAnswer.of(500)).isEqualTo(HttpAnswer.SERVER_ERROR);
        assertThat(HttpAnswer.of(502)).isEqualTo(HttpAnswer.SERVER_ERROR);
        assertThat(HttpAnswer.of(404)).isEqualTo(HttpAnswer.NOT_FOUND);
        assertThat(HttpAnswer.of(409)).isEqualTo(HttpAnswer.CONFLICT);
        assertThat(HttpAnswer.of(400)).isEqualTo(HttpAnswer.REJECTED);
        assertThat(HttpAnswer.of(413)).isEqualTo(HttpAnswer.REJECTED);
        assertThat(HttpAnswer.of(422)).isEqualTo(HttpAnswer.REJECTED);
    }

    @Property(tries = 500)
    void onlyOverloadsAndServerErrorsPassWithTimeAndEveryOtherRefusalIsTheRequestsOrAnOperatorsToFix(
            @ForAll @IntRange(min = 100, max = 599) int status) {
        HttpAnswer answer = HttpAnswer.of(status);
        assertThat(answer.passesWithTime()).isEqualTo(status >= 500 || status == 408 || status == 429);
        assertThat(answer == HttpAnswer.SUCCESS).isEqualTo(status >= 200 && status < 300);
    }
}
