package dev.lineagehub.datahub.sink;

import com.linkedin.mxe.MetadataChangeProposal;

import datahub.event.MetadataChangeProposalWrapper;

import java.nio.charset.StandardCharsets;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Remembers which dataset, flow and job aspects and which lineage patches GMS has acknowledged, with
 * their content, so an unchanged one is not sent again on every event of a busy job. Bounded (least recently used out
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
    boolean isFresh(MetadataChangeProposalWrapper<?> proposal) {
        return isFresh(upsertKey(proposal), proposal.getAspect().data().hashCode());
    }

    void acknowledged(MetadataChangeProposalWrapper<?> proposal) {
        acknowledged(upsertKey(proposal), proposal.getAspect().data().hashCode());
    }

    /** True when this exact patch was acknowledged within the time to live: applying it again adds nothing. */
    boolean isFresh(MetadataChangeProposal patch) {
        return isFresh(patchKey(patch), patch.getAspect().getValue().hashCode());
    }

    void acknowledged(MetadataChangeProposal patch) {
        acknowledged(patchKey(patch), patch.getAspect().getValue().hashCode());
    }

    private synchronized boolean isFresh(String key, int fingerprint) {
        if (ttlNanos == 0) {
            return false;
        }
        Entry entry = entries.get(key);
        return entry != null && entry.fingerprint() == fingerprint && clock.getAsLong() - entry.storedAtNanos() < ttlNanos;
    }

    private synchronized void acknowledged(String key, int fingerprint) {
        if (ttlNanos > 0) {
            entries.put(key, new Entry(fingerprint, clock.getAsLong()));
        }
    }

    /** An upsert replaces the aspect: one entry per entity and aspect, its content the fingerprint. */
    private static String upsertKey(MetadataChangeProposalWrapper<?> proposal) {
        return proposal.getEntityUrn() + '|' + proposal.getAspectName();
    }

    /** Patches to one aspect accumulate: one entry per distinct patch. */
    private static String patchKey(MetadataChangeProposal patch) {
        return patch.getEntityUrn().toString() + '|' + patch.getAspectName() + '|' + patch.getAspect().getValue().asString(StandardCharsets.UTF_8);
    }
}
