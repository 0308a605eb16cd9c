package dev.lineagehub.datahub.mapping;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * Names an OpenLineage event may carry that a DataHub URN has to survive: the tuple delimiters, DataHub's ␟,
 * control characters, trailing spaces, a literal %, any Unicode, and names long enough to pass GMS's 512 only
 * after URL-encoding. One source for the URN property tests here and in datahub-consumer.
 */
public final class UrnNames {

    private UrnNames() {
    }

    public static Arbitrary<String> hostile() {
        return Arbitraries.oneOf(
                Arbitraries.of("orders", "sum(word_count)", "f,1(x)", "g)(,", "a,b:c(d)", "tab\there", "nul\u0000", "line\nbreak", "trailing ",
                        "x\u241Fy", "%28", "100%", "漢字", "a/".repeat(200), "漢".repeat(150), "user:alice", "team:data"),
                Arbitraries.strings().ofMinLength(1).ofMaxLength(40),
                Arbitraries.strings().withChars(",()\u241F:% \t\n\u0000\u007Fa漢/").ofMinLength(1).ofMaxLength(20),
                Arbitraries.strings().withChars("a/(").ofMinLength(100).ofMaxLength(400));
    }
}
