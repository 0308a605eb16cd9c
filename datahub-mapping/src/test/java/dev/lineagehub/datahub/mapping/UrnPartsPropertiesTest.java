package dev.lineagehub.datahub.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.linkedin.common.urn.Urn;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.net.URISyntaxException;
import java.util.regex.Pattern;

/**
 * Encoding makes any name one part of a URN that DataHub's own parser reads back into that name (when the name holds
 * no {@code %} of its own: DataHub's SDKs leave {@code %} as it is, and so does the encoding). The mapper's URNs as GMS
 * takes them are datahub-consumer's {@code UrnRulesPropertiesTest}.
 */
class UrnPartsPropertiesTest {

    @Property(tries = 2000)
    void anEncodedPartIsOnePartAndDecodesToItself(@ForAll("names") String name) throws URISyntaxException {
        Urn urn = Urn.createFromTuple("dataJob", "urn:li:dataFlow:(airflow,dag,prod)", UrnParts.encode(name));
        Urn parsed = Urn.createFromString(urn.toString());
        assertThat(parsed.getEntityKey().getParts()).hasSize(2);
        if (!name.contains("%")) {
            assertThat(decoded(parsed.getEntityKey().get(1))).isEqualTo(name);
        }
    }

    private static String decoded(String part) {
        return Pattern.compile("%([0-7][0-9A-F])").matcher(part.replace("%E2%90%9F", "\u241F"))
                .replaceAll(escape -> String.valueOf((char) Integer.parseInt(escape.group(1), 16)));
    }

    /** GMS counts the URL-encoded form: "urn:li:corpuser:" is 22 characters encoded, so 490 more fit and 491 do not. */
    @Example
    void aUrnOfExactly512CharactersUrlEncodedIsTakenAndOneMoreIsRefused() {
        Urn fits = Urn.createFromTuple("corpuser", "a".repeat(490));
        assertThat(UrnParts.checked(fits)).isSameAs(fits);
        assertThatThrownBy(() -> UrnParts.checked(Urn.createFromTuple("corpuser", "a".repeat(491))))
                .isInstanceOf(InvalidUrnException.class).hasMessageContaining("513 characters URL-encoded");
        // Each '/' is three characters encoded: this URN is 180 bytes, which a byte count would let through, and 514 encoded.
        assertThatThrownBy(() -> UrnParts.checked(Urn.createFromTuple("corpuser", "/".repeat(164))))
                .isInstanceOf(InvalidUrnException.class).hasMessageContaining("514 characters URL-encoded");
    }

    @Provide
    Arbitrary<String> names() {
        return UrnNames.hostile();
    }
}
