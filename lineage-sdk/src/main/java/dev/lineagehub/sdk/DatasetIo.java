package dev.lineagehub.sdk;


import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's inputs and outputs: each dataset once by namespace and name, the latest facets winning, in
 * the order first added. Not synchronized: its owner (a run, an emitter between runs) is.
 */
final class DatasetIo {

    private final Map<String, Dataset> inputs = new LinkedHashMap<>();
    private final Map<String, Dataset> outputs = new LinkedHashMap<>();

    public void addInput(Dataset dataset) {
        inputs.put(key(dataset), dataset);
    }

    public void addOutput(Dataset dataset) {
        outputs.put(key(dataset), dataset);
    }

    public void clear() {
        inputs.clear();
        outputs.clear();
    }

    public List<Dataset> inputs() {
        return List.copyOf(inputs.values());
    }

    public List<Dataset> outputs() {
        return List.copyOf(outputs.values());
    }

    /** Adds these datasets to {@code target} and forgets them here. */
    void moveTo(DatasetIo target) {
        target.inputs.putAll(inputs);
        target.outputs.putAll(outputs);
        clear();
    }

    private static String key(Dataset dataset) {
        return dataset.namespace() + '\n' + dataset.name();
    }
}
