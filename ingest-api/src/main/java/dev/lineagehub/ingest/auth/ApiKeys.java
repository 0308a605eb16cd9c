package dev.lineagehub.ingest.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * API keys: {@code lhk_<id>_<secret>}, the id public (it names the key in audit records and logs), the
 * secret 192 random bits. Only a SHA-256 of the whole key is stored: a key is random, so a slow hash
 * would add nothing. Hashes are compared in constant time.
 */
public final class ApiKeys {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PREFIX = "lhk_";

    private ApiKeys() {
    }

    /** A new key, to be shown once to whoever created it. */
    public static String generate() {
        byte[] id = new byte[8];
        byte[] secret = new byte[24];
        RANDOM.nextBytes(id);
        RANDOM.nextBytes(secret);
        return PREFIX + HexFormat.of().formatHex(id) + '_' + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    /** The key's public id, or empty when it is not shaped as one of ours. */
    public static Optional<String> id(String key) {
        if (key == null || !key.startsWith(PREFIX)) {
            return Optional.empty();
        }
        int end = key.indexOf('_', PREFIX.length());
        return end == PREFIX.length() + 16 ? Optional.of(key.substring(PREFIX.length(), end)) : Optional.empty();
    }

    public static String hash(String key) {
        return HexFormat.of().formatHex(sha256(key));
    }

    /** Whether {@code key} hashes to {@code storedHash}, in time independent of where they differ. */
    public static boolean matches(String key, String storedHash) {
        return MessageDigest.isEqual(sha256(key), HexFormat.of().parseHex(storedHash));
    }

    private static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
