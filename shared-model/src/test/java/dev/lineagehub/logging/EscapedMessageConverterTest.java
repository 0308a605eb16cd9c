package dev.lineagehub.logging;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Chars;

import org.junit.jupiter.api.Test;

/** Control characters from event names never reach a log file raw, and nothing else changes. */
class EscapedMessageConverterTest {

    @Test
    void writesControlCharactersAsEscapes() {
        assertThat(EscapedMessageConverter.escape("orders\u0000daily\r\nrun\u001b[31m\tok\u0085"))
                .isEqualTo("orders\\u0000daily\\r\\nrun\\u001b[31m\tok\\u0085");
        assertThat(EscapedMessageConverter.escape("GET /orders é 名前")).isEqualTo("GET /orders é 名前");
    }

    @Property
    void noControlCharacterButTabSurvivesAndPrintableTextIsUnchanged(
            @ForAll @Chars({'\t', 'a', '\\'}) @CharRange(from = 0, to = 0xff) String text) {
        String escaped = EscapedMessageConverter.escape(text);
        assertThat(escaped.chars().filter(c -> c != '\t' && (c < 0x20 || (c >= 0x7f && c <= 0x9f)))).isEmpty();
        if (text.chars().allMatch(c -> c == '\t' || (c >= 0x20 && c < 0x7f) || c > 0x9f)) {
            assertThat(escaped).isEqualTo(text);
        }
    }
}
