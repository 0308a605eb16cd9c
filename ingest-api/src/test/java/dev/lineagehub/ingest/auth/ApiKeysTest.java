package dev.lineagehub.ingest.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

class ApiKeysTest {

    @Test
    void aKeyCarriesAPublicIdAndMatchesOnlyItsOwnHash() {
        String key = ApiKeys.generate();
        assertThat(key).matches("lhk_[0-9a-f]{16}_[A-Za-z0-9_-]{32}");
        String hash = ApiKeys.hash(key);
        assertThat(hash).hasSize(64).doesNotContain(key.substring(21));
        assertThat(ApiKeys.matches(key, hash)).isTrue();
        assertThat(ApiKeys.matches(key + "x", hash)).isFalse();
        assertThat(ApiKeys.matches(ApiKeys.generate(), hash)).isFalse();
        assertThat(ApiKeys.id(key)).contains(key.substring(4, 20));
    }

    @Test
    void somethingElseHasNoId() {
        assertThat(ApiKeys.id(null)).isEmpty();
        assertThat(ApiKeys.id("secret-token")).isEmpty();
        assertThat(ApiKeys.id("lhk_short_x")).isEmpty();
    }

    @Test
    void keysDoNotRepeat() {
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            keys.add(ApiKeys.generate());
        }
        assertThat(keys).hasSize(1000);
    }
}
