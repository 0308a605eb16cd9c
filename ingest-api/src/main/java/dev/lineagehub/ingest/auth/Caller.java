package dev.lineagehub.ingest.auth;

/**
 * Who made a request: the admin, a namespace's key (by its public id), or anyone when the API runs
 * without keys. Never holds the key itself.
 */
public record Caller(Kind kind, String keyId, String namespace) {

    public enum Kind { ADMIN, KEY, ANONYMOUS }

    public static final Caller ADMIN = new Caller(Kind.ADMIN, "admin", "");
    public static final Caller ANONYMOUS = new Caller(Kind.ANONYMOUS, "anonymous", "");

    public static Caller key(String keyId, String namespace) {
        return new Caller(Kind.KEY, keyId, namespace);
    }

    public boolean admin() {
        return kind == Kind.ADMIN;
    }
}
