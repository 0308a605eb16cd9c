package dev.lineagehub.datahub.mapping;

import com.linkedin.common.AuditStamp;
import com.linkedin.common.urn.DatasetUrn;
import com.linkedin.common.urn.Urn;
import com.linkedin.schema.ArrayType;
import com.linkedin.schema.BooleanType;
import com.linkedin.schema.BytesType;
import com.linkedin.schema.DateType;
import com.linkedin.schema.MapType;
import com.linkedin.schema.NullType;
import com.linkedin.schema.NumberType;
import com.linkedin.schema.OtherSchema;
import com.linkedin.schema.RecordType;
import com.linkedin.schema.SchemaField;
import com.linkedin.schema.SchemaFieldArray;
import com.linkedin.schema.SchemaFieldDataType;
import com.linkedin.schema.SchemaMetadata;
import com.linkedin.schema.StringType;
import com.linkedin.schema.TimeType;

import io.openlineage.client.OpenLineage;

import java.util.List;
import java.util.Locale;

/** The OpenLineage schema facet as DataHub {@code schemaMetadata}; nested fields get dotted paths. */
final class SchemaMapper {

    private static final AuditStamp UNKNOWN = new AuditStamp().setTime(0L).setActor(Urn.createFromTuple("corpuser", "datahub"));

    SchemaMetadata schemaMetadata(DatasetUrn dataset, OpenLineage.SchemaDatasetFacet schema) {
        SchemaFieldArray fields = new SchemaFieldArray();
        addFields("", schema.getFields(), fields);
        return new SchemaMetadata()
                .setSchemaName(dataset.getDatasetNameEntity())
                .setPlatform(dataset.getPlatformEntity())
                .setVersion(0L)
                .setHash("")
                .setCreated(UNKNOWN)
                .setLastModified(UNKNOWN)
                .setPlatformSchema(SchemaMetadata.PlatformSchema.create(new OtherSchema().setRawSchema("")))
                .setFields(fields);
    }

    private static void addFields(String prefix, List<OpenLineage.SchemaDatasetFacetFields> source, SchemaFieldArray target) {
        if (source == null) {
            return;
        }
        for (OpenLineage.SchemaDatasetFacetFields field : source) {
            String path = prefix + field.getName();
            String nativeType = field.getType() == null ? "UNKNOWN" : field.getType();
            SchemaField mapped = new SchemaField().setFieldPath(path).setNativeDataType(nativeType)
                    .setType(new SchemaFieldDataType().setType(typeOf(nativeType, field.getFields() != null)))
                    .setNullable(true);
            if (field.getDescription() != null) {
                mapped.setDescription(field.getDescription());
            }
            target.add(mapped);
            addFields(path + ".", field.getFields(), target);
        }
    }

    /** Native type names from warehouses, Spark and Avro, to DataHub's coarse field types. */
    static SchemaFieldDataType.Type typeOf(String nativeType, boolean hasChildren) {
        String t = nativeType.toLowerCase(Locale.ROOT);
        if (t.startsWith("array") || t.endsWith("[]")) {
            return SchemaFieldDataType.Type.create(new ArrayType());
        }
        if (t.startsWith("map")) {
            return SchemaFieldDataType.Type.create(new MapType());
        }
        if (hasChildren || t.startsWith("struct") || t.startsWith("record") || t.equals("object") || t.equals("variant")) {
            return SchemaFieldDataType.Type.create(new RecordType());
        }
        if (t.startsWith("bool")) {
            return SchemaFieldDataType.Type.create(new BooleanType());
        }
        if (t.matches("(tiny|small|medium|big)?int(eger)?\\d*.*|long|short|byte|number.*|numeric.*|decimal.*|float.*|double.*|real|serial.*")) {
            return SchemaFieldDataType.Type.create(new NumberType());
        }
        if (t.startsWith("timestamp") || t.startsWith("datetime") || t.equals("time") || t.startsWith("time ")) {
            return SchemaFieldDataType.Type.create(new TimeType());
        }
        if (t.equals("date")) {
            return SchemaFieldDataType.Type.create(new DateType());
        }
        if (t.startsWith("binary") || t.startsWith("bytea") || t.startsWith("bytes") || t.startsWith("blob") || t.startsWith("varbinary")) {
            return SchemaFieldDataType.Type.create(new BytesType());
        }
        if (t.equals("null") || t.equals("void")) {
            return SchemaFieldDataType.Type.create(new NullType());
        }
        return SchemaFieldDataType.Type.create(new StringType());
    }
}
