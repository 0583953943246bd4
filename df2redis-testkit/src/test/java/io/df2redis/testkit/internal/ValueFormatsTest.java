package io.df2redis.testkit.internal;

import io.df2redis.protocol.resp.BulkString;
import io.df2redis.testkit.redis.RedisServerProcess;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Value encodings Dragonfly writes into the journal, byte for byte: HLL strings and 6-digit scores. */
class ValueFormatsTest {

    @Test
    void scoresPrintLikeAbslStrCat() {
        assertThat(List.of(1.0, 3.5, 1.0 / 3, 1e6, 123456.7, 1234567.0, 0.0001, 0.00001, -2.5e-7, 100.0, 0.1,
                Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 999999.5, 1e21, -0.0))
                .extracting(ZSetCommands::sixDigits)
                .containsExactly("1", "3.5", "0.333333", "1e+06", "123457", "1.23457e+06", "0.0001", "1e-05",
                        "-2.5e-07", "100", "0.1", "inf", "-inf", "1e+06", "1e+21", "-0");
    }

    /** PFADD into a real redis-server (same HLL code as Dragonfly) leaves the bytes {@link Hll} builds. */
    @Test
    void hllStringsAreRedisOnes() throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.start()) {
            // Dragonfly creates an empty HLL with a valid cached cardinality (Redis invalidates it)
            assertThat(hex(Hll.create().bytes())).isEqualTo("48594c4c0100000000000000000000007fff");
            for (int n : new int[] {1, 3, 50, 400, 1500, 4000}) {
                List<byte[]> elements = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    elements.add(("element-" + i).getBytes(StandardCharsets.UTF_8));
                }
                // one element per PFADD (the sparse merge window depends on the insertion order)
                Hll one = Hll.create();
                redis.call("PFADD", "one:" + n);
                for (byte[] e : elements) {
                    one.add(e);
                    redis.call("PFADD", "one:" + n, e);
                }
                assertThat(hex(redis.call("GET", "one:" + n))).as("one by one, " + n).isEqualTo(hex(one.bytes()));
                // all in one PFADD
                Hll all = Hll.create();
                List<Object> cmd = new ArrayList<>(List.of("PFADD", "all:" + n));
                for (byte[] e : elements) {
                    all.add(e);
                    cmd.add(e);
                }
                redis.call(cmd.toArray());
                assertThat(hex(redis.call("GET", "all:" + n))).as("at once, " + n).isEqualTo(hex(all.bytes()));
            }
        }
    }

    private static String hex(Object o) {
        byte[] b = o instanceof BulkString s ? s.value() : (byte[]) o;
        return HexFormat.of().formatHex(b);
    }
}
