package dev.lineagehub.datahub.mapping;

import com.linkedin.common.urn.Urn;

import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * GMS's rules for URNs ({@code UrnValidationUtil}), applied before anything is sent, so no proposal is refused for its
 * name. A part is percent-encoded where GMS or DataHub's URN parser would read it otherwise: the tuple delimiters
 * {@code , ( )} and DataHub's {@code ␟} (as DataHub's SDKs encode them, so names agree with theirs), control
 * characters (GMS would take them raw into URNs nobody can type or link), and trailing spaces (GMS refuses a URN that
 * ends in whitespace). {@code %} itself is left as it is, as DataHub's SDKs leave it. The whole URN must then parse
 * back into the same parts and, URL-encoded, fit GMS's 512: otherwise it is an {@link InvalidUrnException}.
 */
final class UrnParts {

    /** GMS refuses a URN whose URL-encoded form is longer than this (schemaField URNs excepted). */
    static final int MAX_URN_BYTES = 512;

    private UrnParts() {
    }

    static String encode(String part) {
        if (part == null || part.isEmpty()) {
            // DataHub's tuple keys refuse an empty part (IllegalArgumentException): nothing can be named by it.
            throw new InvalidUrnException("an empty name, which no DataHub URN can hold");
        }
        int end = part.length();
        while (end > 0 && part.charAt(end - 1) == ' ') {
            end--;
        }
        StringBuilder out = new StringBuilder(part.length());
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (c == ',' || c == '(' || c == ')' || c < 0x20 || c == 0x7F || (c == ' ' && i >= end)) {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            } else if (c == '\u241F') {
                out.append("%E2%90%9F");
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Whether GMS would take the URN ({@link #checked}), for what an event can do without: a tag, an owner. */
    static boolean valid(Urn urn) {
        try {
            checked(urn);
            return true;
        } catch (InvalidUrnException e) {
            return false;
        }
    }

    /** The URN itself, once GMS would take it: it parses back into its own parts and its URL-encoded form fits. */
    static <U extends Urn> U checked(U urn) {
        String text = urn.toString();
        if (!urn.getEntityType().equals("schemaField")) {
            int encoded = URLEncoder.encode(text, StandardCharsets.UTF_8).length();
            if (encoded > MAX_URN_BYTES) {
                throw new InvalidUrnException("URN of " + encoded + " characters URL-encoded, more than DataHub's " + MAX_URN_BYTES + ": "
                        + text.substring(0, Math.min(120, text.length())) + "...");
            }
        }
        try {
            Urn parsed = Urn.createFromString(text);
            if (!parsed.getEntityKey().getParts().equals(urn.getEntityKey().getParts())) {
                throw new InvalidUrnException("URN that DataHub reads back as other parts: " + text);
            }
        } catch (URISyntaxException e) {
            throw new InvalidUrnException("URN that DataHub cannot parse (" + e.getReason() + "): " + text);
        }
        return urn;
    }
}
