package dev.lineagehub.ingest.auth;

import dev.lineagehub.ingest.config.IngestSettings;
import dev.lineagehub.ingest.namespaces.Namespace;
import dev.lineagehub.ingest.namespaces.NamespaceStore;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Who is calling, and what they may write. A key belongs to one namespace; with isolation it may write
 * events whose namespaces (the job's and every dataset's) all belong to that namespace's owner, so a
 * team registers the dataset namespaces it writes to (e.g. {@code postgres://team-a-db:5432}) under
 * its owner, or lets them be created on first write.
 */
public final class Access {

    private final IngestSettings.Auth auth;
    private final NamespaceStore namespaces;
    private final String adminKeyHash;

    public Access(IngestSettings.Auth auth, NamespaceStore namespaces) {
        this.auth = auth;
        this.namespaces = namespaces;
        this.adminKeyHash = auth.adminKey() == null ? null : ApiKeys.hash(auth.adminKey());
    }

    /** What an {@code Authorization} header makes of a write: empty when a key is required and this is not a valid one. */
    public Optional<Caller> authenticate(String authorization) {
        String token = bearer(authorization);
        if (token != null && isAdminKey(token)) {
            return Optional.of(Caller.ADMIN);
        }
        if (!auth.required()) {
            return Optional.of(Caller.ANONYMOUS);
        }
        return ApiKeys.id(token).flatMap(id -> namespaces.byKeyId(id)
                .filter(namespace -> namespace.keys().stream().anyMatch(key -> key.id().equals(id) && ApiKeys.matches(token, key.sha256())))
                .map(namespace -> Caller.key(id, namespace.name())));
    }

    /** Whether the header carries the admin key, which namespace management needs whatever the write mode. */
    public boolean isAdmin(String authorization) {
        String token = bearer(authorization);
        return token != null && isAdminKey(token);
    }

    /** What a write naming these namespaces may do: the namespaces refused (not owned, or disabled), and those to register first. */
    public record Decision(List<String> forbidden, List<String> disabled, List<String> toCreate, String owner) {
        public boolean allowed() {
            return forbidden.isEmpty() && disabled.isEmpty();
        }
    }

    /** The disabled namespace a key belongs to, if it does: such a key writes nothing until it is enabled again. */
    public Optional<String> disabledNamespaceOf(Caller caller) {
        return caller.kind() != Caller.Kind.KEY ? Optional.empty()
                : namespaces.get(caller.namespace()).filter(Namespace::disabled).map(Namespace::name);
    }

    public Decision authorize(Caller caller, Collection<String> eventNamespaces) {
        String owner = caller.kind() == Caller.Kind.KEY
                ? namespaces.get(caller.namespace()).map(Namespace::owner).orElse("") : "auto";
        List<String> forbidden = new ArrayList<>();
        List<String> disabled = new ArrayList<>();
        List<String> toCreate = new ArrayList<>();
        boolean checked = auth.required() && auth.isolation() && caller.kind() == Caller.Kind.KEY;
        for (String name : eventNamespaces) {
            Optional<Namespace> known = namespaces.get(name);
            if (known.isEmpty()) {
                if (auth.autoCreateNamespaces()) {
                    toCreate.add(name);
                } else if (checked) {
                    forbidden.add(name);
                }
            } else if (checked && !known.get().owner().equals(owner)) {
                forbidden.add(name);
            } else if (known.get().disabled()) {
                disabled.add(name);
            }
        }
        return new Decision(forbidden, disabled, toCreate, owner);
    }

    /** Compared as hashes, so the time taken says nothing about the admin key, not even its length. */
    private boolean isAdminKey(String token) {
        return adminKeyHash != null && ApiKeys.matches(token, adminKeyHash);
    }

    private static String bearer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = authorization.substring(7).strip();
        return token.isEmpty() ? null : token;
    }
}
