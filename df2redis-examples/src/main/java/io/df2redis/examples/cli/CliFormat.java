package io.df2redis.examples.cli;

import java.util.Locale;

/** How the command line prints counts, sizes and durations. Stateless. */
final class CliFormat {
    private CliFormat() {
    }

    /** {@code n} with thousands separators. */
    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** {@code b} bytes in B, KiB, MiB, GiB or TiB. */
    static String bytes(long b) {
        if (b < 1024) {
            return b + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = b;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** {@code ms} as ms, seconds, {@code 1m02s} or {@code 1h02m03s}. */
    static String duration(long ms) {
        if (ms < 1000) {
            return ms + " ms";
        }
        long s = ms / 1000;
        if (s < 60) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm%02ds", s / 3600, (s % 3600) / 60, s % 60);
    }
}
