package dev.lineagehub.openlineage;

import java.util.regex.Pattern;

/**
 * Which OpenLineage namespaces a consumer forwards: those matching {@code include} (everything when
 * empty) and not matching {@code exclude}. Whole-string matches, as users write them.
 */
public record NamespaceFilter(Pattern include, Pattern exclude) {

    public static NamespaceFilter of(String include, String exclude) {
        return new NamespaceFilter(include.isEmpty() ? null : Pattern.compile(include),
                exclude.isEmpty() ? null : Pattern.compile(exclude));
    }

    public boolean accepts(String namespace) {
        return (include == null || include.matcher(namespace).matches())
                && (exclude == null || !exclude.matcher(namespace).matches());
    }
}
