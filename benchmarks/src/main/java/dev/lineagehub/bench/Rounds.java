package dev.lineagehub.bench;

import java.util.List;

/** Per-round figures of a run, summed up the way docs/benchmarks.md reports them: the median, and every round. */
final class Rounds {

    private Rounds() {
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    /** E.g. "97.6 % (median of 9 rounds; all: [90.0 %, ...])" for ratios of one side to the other. */
    static String share(List<Double> ratios) {
        return String.format("%.1f %% (median of %d rounds; all: %s)", 100 * median(ratios), ratios.size(),
                ratios.stream().sorted().map(r -> String.format("%.1f %%", 100 * r)).toList());
    }
}
