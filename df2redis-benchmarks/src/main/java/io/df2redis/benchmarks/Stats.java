package io.df2redis.benchmarks;

import java.util.List;
import java.util.Locale;

/** Median and range of a harness's rounds. */
final class Stats {
    private Stats() {
    }

    /** {@code median [min - max]} of {@code l}, each formatted with {@code fmt}. */
    static String summary(List<Double> l, String fmt) {
        double[] v = l.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (v.length == 0) {
            return "-";
        }
        double med = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        return String.format(Locale.ROOT, fmt + " [" + fmt + " - " + fmt + "]", med, v[0], v[v.length - 1]);
    }
}
