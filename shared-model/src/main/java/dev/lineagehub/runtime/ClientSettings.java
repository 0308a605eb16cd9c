package dev.lineagehub.runtime;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Derives plain producer/admin settings from a Streams configuration, so the clients we create
 * ourselves connect with the same security settings and without "unknown config" warnings.
 */
final class ClientSettings {

    private ClientSettings() {
    }

    static Map<String, Object> producer(Map<String, Object> streams) {
        return only(streams, ProducerConfig.configNames(), StreamsConfig.PRODUCER_PREFIX);
    }

    static Map<String, Object> admin(Map<String, Object> streams) {
        return only(streams, AdminClientConfig.configNames(), StreamsConfig.ADMIN_CLIENT_PREFIX);
    }

    private static Map<String, Object> only(Map<String, Object> streams, Set<String> known, String clientPrefix) {
        Map<String, Object> result = new HashMap<>();
        streams.forEach((name, value) -> {
            if (known.contains(name)) {
                result.putIfAbsent(name, value);
            }
        });
        // client-specific overrides such as producer.acks win over the shared value
        streams.forEach((name, value) -> {
            if (name.startsWith(clientPrefix) && known.contains(name.substring(clientPrefix.length()))) {
                result.put(name.substring(clientPrefix.length()), value);
            }
        });
        return result;
    }
}
