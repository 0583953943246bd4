package io.df2redis.benchmarks;

import io.df2redis.protocol.rdb.RdbEncoder;
import io.df2redis.protocol.rdb.RdbKeyValue;
import io.df2redis.protocol.resp.RespEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Our side's cost of the two ways of writing snapshot values ({@link SnapshotWrites}), without
 * Redis: one operation turns every value of a shape into RESP bytes, either as the native
 * commands the sink sends or as {@code RESTORE} commands with a {@code DUMP} payload (RDB value
 * encoding + CRC-64 + RESP framing). Divide the time per operation by the shape's element count
 * (printed as {@code # shape …} by {@link RestoreVsNativeHarness}; str 100k, hash10/zset10 200k,
 * biglist/bighash 400k, bigzset 200k) for the cost per element.
 *
 * <pre>java -jar df2redis-benchmarks/target/benchmarks.jar SnapshotWriteEncodingBenchmark -f 1 -wi 3 -w 2s -i 5 -r 2s</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class SnapshotWriteEncodingBenchmark {
    @Param({"str", "str_ttl", "hash10", "zset10", "biglist", "bighash", "bigzset"})
    public String shape;

    private List<RdbKeyValue> data;
    private RdbEncoder enc;
    private ByteBuf out;

    @Setup(Level.Trial)
    public void setUp() {
        data = SnapshotWrites.shape(shape, 1).data();
        enc = RdbEncoder.builder().rdbVersion(10).build(); // Redis 7.0's version, as on the harness machine
        out = Unpooled.buffer(4 << 20);
    }

    @Benchmark
    public long nativeCommands(Blackhole bh) {
        long[] bytes = new long[1];
        for (RdbKeyValue kv : data) {
            SnapshotWrites.nativeCommands(kv, a -> {
                RespEncoder.writeCommand(out, a);
                bytes[0] += out.readableBytes();
                bh.consume(out.getByte(out.writerIndex() - 1));
                out.clear();
            });
        }
        return bytes[0];
    }

    @Benchmark
    public long restoreCommands(Blackhole bh) {
        long bytes = 0;
        for (RdbKeyValue kv : data) {
            RespEncoder.writeCommand(out, SnapshotWrites.restoreCommand(enc, kv, 10));
            bytes += out.readableBytes();
            bh.consume(out.getByte(out.writerIndex() - 1));
            out.clear();
        }
        return bytes;
    }
}
