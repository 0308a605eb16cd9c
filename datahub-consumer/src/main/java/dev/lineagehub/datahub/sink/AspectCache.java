package dev.lineagehub.datahub.sink;

import datahub.event.MetadataChangeProposalWrapper;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Remembers which dataset, flow and job aspects GMS has acknowledged, with their content, so an
 * unchanged one is not sent again on every event of a busy job. Bounded (least recently used out
 * first) and with a time to live, so DataHub is refreshed now and then even if nothing changed.
 * Starts empty, so the first upsert after a restart is always sent.
 */
final class AspectCache {

    private record Entry(int fingerprint, long storedAtNanos) {
    }

    private final long ttlNanos;
    private final LongSupplier clock;
    private final Map<String, Entry> entries;

    AspectCache(Duration ttl, int maxEntries, LongSupplier nanoClock) {
        this.ttlNanos = ttl.toNanos();
        this.clock = nanoClock;
        this.entries = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > maxEntries;
            }
        };
    }

    /** True when this exact aspect was acknowledged within the time to live. */
    synchronized boolean isFresh(MetadataChangeProposalWrapper<?> proposal) {
        if (ttlNanos == 0) {
            return false;
        }
        Entry entry = entries.get(key(proposal));
        return entry != null && entry.fingerprint() == fingerprint(proposal) && clock.getAsLong() - entry.storedAtNanos() < ttlNanos;
    }

    synchronized void acknowledged(MetadataChangeProposalWrapper<?> proposal) {
        if (ttlNanos > 0) {
            entries.put(key(proposal), new Entry(fingerprint(proposal), clock.getAsLong()));
        }
    }

    private static String key(MetadataChangeProposalWrapper<?> proposal) {
        return proposal.getEntityUrn() + '|' + proposal.getAspectName();
    }

    /** Pegasus data maps hash by content. */
    private static int fingerprint(MetadataChangeProposalWrapper<?> proposal) {
        return proposal.getAspect().data().hashCode();
    }
}
