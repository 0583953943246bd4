package io.df2redis.benchmarks;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Secondary JMH results: in {@code Mode.Throughput} each public field is reported as a rate per
 * output time unit, i.e. {@code bytes} = input bytes decoded per second and {@code entries} =
 * key/value entries (RDB benchmarks) or journal entries (journal benchmarks) per second.
 */
@AuxCounters(AuxCounters.Type.OPERATIONS)
@State(Scope.Thread)
public class ThroughputCounters {
    /** Input bytes decoded. */
    public long bytes;
    /** Entries decoded (key/value entries, or journal entries). */
    public long entries;

    @Setup(Level.Iteration)
    public void reset() {
        bytes = 0;
        entries = 0;
    }
}
