package dev.lineagehub.logging;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * {@code %msg} with control characters escaped: event names, job names and sink answers reach the
 * messages as they came, and a NUL, an ANSI escape or a carriage return written raw makes the file
 * binary to grep, forges lines or rewrites the terminal. Line breaks become {@code \n}, so that one
 * event stays one line; tabs stay.
 */
public final class EscapedMessageConverter extends MessageConverter {

    @Override
    public String convert(ILoggingEvent event) {
        return escape(super.convert(event));
    }

    /** The text with every C0 and C1 control character but tab written as {@code \n}, {@code \r} or {@code \\uXXXX}. */
    public static String escape(String text) {
        int first = firstControl(text);
        if (first < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!isControl(c)) {
                out.append(c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        return out.toString();
    }

    private static int firstControl(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (isControl(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isControl(char c) {
        return c != '\t' && (c < 0x20 || (c >= 0x7f && c <= 0x9f));
    }
}
