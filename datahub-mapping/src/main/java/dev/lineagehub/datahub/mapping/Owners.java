package dev.lineagehub.datahub.mapping;

import static dev.lineagehub.datahub.mapping.Aspects.notBlank;

import com.linkedin.common.Owner;
import com.linkedin.common.OwnerArray;
import com.linkedin.common.OwnershipType;
import com.linkedin.common.urn.Urn;

import io.openlineage.client.OpenLineage;

import java.util.Locale;

/** The ownership job facet as DataHub owners. */
final class Owners {

    private Owners() {
    }

    /**
     * The ownership job facet as DataHub owners of the job, as DataHub's converter places them (not on
     * the flow, which other jobs share): {@code user:x} (or a bare name) a user, {@code team:x} and
     * {@code group:x} a group; the facet's type when DataHub has it, else technical owner ({@link #type}).
     */
    static OwnerArray of(OpenLineage.Job job) {
        OwnerArray owners = new OwnerArray();
        OpenLineage.JobFacets facets = job.getFacets();
        if (facets == null || facets.getOwnership() == null || facets.getOwnership().getOwners() == null) {
            return owners;
        }
        for (OpenLineage.OwnershipJobFacetOwners owner : facets.getOwnership().getOwners()) {
            if (!notBlank(owner.getName())) {
                continue;
            }
            String name = owner.getName();
            int colon = name.indexOf(':');
            String kind = colon > 0 ? name.substring(0, colon).toLowerCase(Locale.ROOT) : "user";
            String id = colon > 0 ? name.substring(colon + 1) : name;
            if (id.isEmpty()) {
                continue;
            }
            Urn urn = Urn.createFromTuple(kind.equals("team") || kind.equals("group") ? "corpGroup" : "corpuser", UrnParts.encode(id));
            if (UrnParts.valid(urn)) {
                // An owner is decoration, like a tag: one no URN can name is left out, not the event.
                owners.add(new Owner().setOwner(urn).setType(type(owner.getType())));
            }
        }
        return owners;
    }

    /**
     * OpenLineage's owner type is free text ({@code MAINTAINER} in its own examples); DataHub takes only its enum. A
     * type DataHub names is kept, any other falls back to technical owner, as DataHub's converter falls back to one
     * type for every owner: an unknown type never costs the event. {@code CUSTOM} needs a custom type URN, which an
     * event cannot name, so it falls back too.
     */
    static OwnershipType type(String named) {
        String wanted = named == null ? "" : named.strip().toUpperCase(Locale.ROOT);
        for (OwnershipType type : OwnershipType.values()) {
            if (type != OwnershipType.$UNKNOWN && type != OwnershipType.CUSTOM && type.name().equals(wanted)) {
                return type;
            }
        }
        return OwnershipType.TECHNICAL_OWNER;
    }
}
