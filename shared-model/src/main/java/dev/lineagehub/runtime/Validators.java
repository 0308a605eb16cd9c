package dev.lineagehub.runtime;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** {@link ConfigDef.Validator}s for the value shapes our settings take. */
public final class Validators {

    private Validators() {
    }

    /** An absolute URI with one of the given schemes. */
    public static ConfigDef.Validator uri(String... schemes) {
        List<String> allowed = List.of(schemes);
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                try {
                    URI uri = new URI((String) value);
                    if (uri.getScheme() == null || !allowed.contains(uri.getScheme())) {
                        throw new ConfigException(name, value, "must be a URL starting with one of " + allowed);
                    }
                } catch (URISyntaxException e) {
                    throw new ConfigException(name, value, "not a URL: " + e.getMessage());
                }
            }

            @Override
            public String toString() {
                return "URL (" + String.join(", ", allowed) + ")";
            }
        };
    }

    /** A Java regular expression, or empty for "not set". */
    public static ConfigDef.Validator regex() {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                try {
                    Pattern.compile((String) value);
                } catch (PatternSyntaxException e) {
                    throw new ConfigException(name, value, "not a regular expression: " + e.getDescription());
                }
            }

            @Override
            public String toString() {
                return "regular expression";
            }
        };
    }

    /** 0 (derive it) or at least {@code min}. */
    public static ConfigDef.Validator zeroOrAtLeast(int min) {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                int number = ((Number) value).intValue();
                if (number != 0 && number < min) {
                    throw new ConfigException(name, value, "must be 0 (derived) or at least " + min);
                }
            }

            @Override
            public String toString() {
                return "0 or at least " + min;
            }
        };
    }
}
