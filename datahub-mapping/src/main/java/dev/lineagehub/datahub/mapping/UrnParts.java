package dev.lineagehub.datahub.mapping;

import com.linkedin.common.urn.Urn;

import java.nio.charset.StandardCharsets;

/**
 * DataHub's rules for the parts of a URN: the characters that delimit a URN's tuple ({@code , ( )}
 * and DataHub's own delimiter {@code ␟}) are percent-encoded, as DataHub's SDKs encode them, so a name
 * containing them is still one part; and a URN longer than GMS accepts cannot be written at all.
 */
final class UrnParts {

    /** GMS refuses a URN longer than this many bytes. */
    static final int MAX_URN_BYTES = 512;

    private UrnParts() {
    }

    static String encode(String part) {
        StringBuilder out = new StringBuilder(part.length());
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            switch (c) {
                case ',' -> out.append("%2C");
                case '(' -> out.append("%28");
                case ')' -> out.append("%29");
                case '\u241F' -> out.append("%E2%90%9F");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** The URN itself, once checked against GMS's length limit. */
    static <U extends Urn> U checked(U urn) {
        int bytes = urn.toString().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_URN_BYTES) {
            throw new InvalidUrnException("URN of " + bytes + " bytes, more than DataHub's " + MAX_URN_BYTES + ": "
                    + urn.toString().substring(0, 120) + "...");
        }
        return urn;
    }
}
