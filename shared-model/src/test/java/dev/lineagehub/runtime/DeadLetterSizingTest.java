package dev.lineagehub.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lineagehub.delivery.deadletter.DeadLetters;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.List;
import java.util.Map;

/** Invariant 11 for dead letters: what a dead-letter topic and producer must take, and what is named when they do not. */
class DeadLetterSizingTest {

    private static final String TEMPLATE = "{topic}-dlq";

    @Property
    void aDeadLetterMayNeedItsRecordAndTheErrorHeadersNeverLessNorAnOverflow(@ForAll @IntRange(min = 0) int inputLimit) {
        int size = TopicSetup.deadLetterSize(inputLimit);
        assertThat((long) size).isEqualTo(Math.min(Integer.MAX_VALUE, (long) inputLimit + DeadLetters.HEADERS_BYTES));
    }

    @Property
    void aLimitJustUnderWhatADeadLetterNeedsIsNamedAndOneAtItIsNot(@ForAll @IntRange(min = 1, max = 100_000_000) int inputLimit,
                                                                      @ForAll @IntRange(min = -2, max = 2) int offset) {
        int needed = TopicSetup.deadLetterSize(inputLimit);
        int limit = needed + offset;
        List<String> misfits = TopicSetup.deadLetterMisfits(Map.of("in", needed), Map.of("in-dlq", limit), limit, TEMPLATE);
        if (offset < 0) {
            assertThat(misfits).hasSize(2);
            assertThat(misfits.get(0)).contains("in-dlq", "max.message.bytes", Integer.toString(limit), Integer.toString(needed));
            assertThat(misfits.get(1)).contains("max.request.size", "written truncated");
        } else {
            assertThat(misfits).isEmpty();
        }
    }

    @Property
    void aDeadLetterTopicWhoseLimitCouldNotBeReadIsNotClaimedTooSmall(@ForAll @IntRange(min = 1, max = 100_000_000) int inputLimit) {
        int needed = TopicSetup.deadLetterSize(inputLimit);
        assertThat(TopicSetup.deadLetterMisfits(Map.of("in", needed), Map.of(), needed, TEMPLATE)).isEmpty();
    }
}
