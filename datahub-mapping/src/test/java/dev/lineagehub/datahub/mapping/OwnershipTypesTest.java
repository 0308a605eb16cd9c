package dev.lineagehub.datahub.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import com.linkedin.common.OwnershipType;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Locale;

/** OpenLineage's free-text owner types against DataHub's enum: a known one kept, anything else the fallback, never a throw. */
class OwnershipTypesTest {

    @Test
    void aTypeDataHubNamesIsKeptWhateverItsCaseAndSpacing() {
        assertThat(Owners.type("DATAOWNER")).isEqualTo(OwnershipType.DATAOWNER);
        assertThat(Owners.type(" business_owner ")).isEqualTo(OwnershipType.BUSINESS_OWNER);
        assertThat(Owners.type("MAINTAINER")).as("OpenLineage's own example").isEqualTo(OwnershipType.TECHNICAL_OWNER);
        assertThat(Owners.type("CUSTOM")).as("needs a type URN").isEqualTo(OwnershipType.TECHNICAL_OWNER);
        assertThat(Owners.type("$UNKNOWN")).isEqualTo(OwnershipType.TECHNICAL_OWNER);
        assertThat(Owners.type(null)).isEqualTo(OwnershipType.TECHNICAL_OWNER);
    }

    @Property(tries = 2000)
    void anyTextGivesATypeDataHubTakes(@ForAll("ownerTypes") String named) {
        OwnershipType type = Owners.type(named);
        assertThat(type).isNotIn(OwnershipType.$UNKNOWN, OwnershipType.CUSTOM);
        boolean known = Arrays.stream(OwnershipType.values()).filter(t -> t != OwnershipType.$UNKNOWN && t != OwnershipType.CUSTOM)
                .anyMatch(t -> t.name().equals(named.strip().toUpperCase(Locale.ROOT)));
        assertThat(known ? type.name() : type).isEqualTo(known ? named.strip().toUpperCase(Locale.ROOT) : OwnershipType.TECHNICAL_OWNER);
    }

    @Provide
    Arbitrary<String> ownerTypes() {
        Arbitrary<String> enumNames = Arbitraries.of(OwnershipType.values()).map(type -> type.name().toLowerCase(Locale.ROOT));
        return Arbitraries.oneOf(enumNames, Arbitraries.strings().ofMaxLength(40),
                Arbitraries.strings().withChars("$_ \t\u0000\u00e9ABCDEFGHIJKLMNOPQRSTUVWXYZ").ofMaxLength(14));
    }
}
