package io.df2redis.benchmarks;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * CPU time the benchmark thread spends per operation. Unlike the wall-clock score it does not
 * grow when other processes take the core away, so it is the steadier figure on a shared
 * machine; it leaves out GC and JIT threads, so allocation-heavy code looks a little cheaper
 * than it is. The benchmark brackets its operation with {@link #now()} and {@link #add(long)}
 * (one {@code clock_gettime} pair: use only for operations of milliseconds). At the end of the
 * trial the mean, standard deviation and range over the measurement iterations are printed
 * to the fork's output as a line starting with {@code # CPU time per operation}.
 */
@State(Scope.Thread)
public class CpuTime {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private long cpuNanos;
    private long ops;
    private final List<Double> perIteration = new ArrayList<>();

    /** CPU time of the current thread, in nanoseconds. */
    static long now() {
        return THREADS.getCurrentThreadCpuTime();
    }

    /** Counts one operation that started at {@code startNanos} (a value of {@link #now()}). */
    void add(long startNanos) {
        cpuNanos += now() - startNanos;
        ops++;
    }

    @Setup(Level.Iteration)
    public void reset() {
        cpuNanos = 0;
        ops = 0;
    }

    @TearDown(Level.Iteration)
    public void record(IterationParams iteration) {
        if (iteration.getType() == IterationType.MEASUREMENT && ops > 0) {
            perIteration.add(cpuNanos / 1e3 / ops);
        }
    }

    @TearDown(Level.Trial)
    public void report() {
        int n = perIteration.size();
        if (n == 0) {
            return;
        }
        double sum = 0;
        double min = Double.MAX_VALUE;
        double max = 0;
        for (double v : perIteration) {
            sum += v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double mean = sum / n;
        double sq = 0;
        for (double v : perIteration) {
            sq += (v - mean) * (v - mean);
        }
        double sd = n > 1 ? Math.sqrt(sq / (n - 1)) : 0;
        System.out.println(String.format(Locale.ROOT,
                "%n# CPU time per operation (benchmark thread): mean %.1f us, sd %.1f us, min %.1f us, max %.1f us"
                        + " over %d measurement iterations", mean, sd, min, max, n));
    }
}
