package dev.lineagehub.testing.clickhouse;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A statement ClickHouse refused; the message is ClickHouse's own ("Code: 47. DB::Exception: ..."). */
public final class ClickHouseEngineException extends RuntimeException {

    private static final Pattern CODE = Pattern.compile("Code: (\\d+)\\.");

    public ClickHouseEngineException(String message) {
        super(message);
    }

    /** ClickHouse's error code, as the HTTP interface sends it in X-ClickHouse-Exception-Code. */
    public int code() {
        Matcher m = CODE.matcher(String.valueOf(getMessage()));
        return m.find() ? Integer.parseInt(m.group(1)) : 1000;
    }
}
