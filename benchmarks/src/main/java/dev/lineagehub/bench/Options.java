package dev.lineagehub.bench;

import java.util.HashMap;
import java.util.Map;

/** {@code name=value} arguments of a benchmark, with defaults; what was used is printed in the report. */
final class Options {

    private final Map<String, String> values = new HashMap<>();

    Options(String[] args) {
        for (String arg : args) {
            for (String pair : arg.trim().split("\\s+")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                if (eq < 1) {
                    throw new IllegalArgumentException("expected name=value, got " + pair);
                }
                values.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
    }

    int integer(String name, int fallback) {
        return Integer.parseInt(values.getOrDefault(name, String.valueOf(fallback)));
    }

    Map<String, String> withPrefix(String prefix) {
        Map<String, String> matching = new HashMap<>();
        values.forEach((name, value) -> {
            if (name.startsWith(prefix)) {
                matching.put(name, value);
            }
        });
        return matching;
    }

    String string(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }
}
