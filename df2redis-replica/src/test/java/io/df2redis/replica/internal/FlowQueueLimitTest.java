package io.df2redis.replica.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FlowQueueLimitTest {
    private static final long MIB = 1L << 20;

    @Test
    void bigHeapKeepsTheConfiguredLimit() {
        assertThat(FlowQueueLimit.perFlow(64 * MIB, 2, 8192 * MIB)).isEqualTo(64 * MIB);
        assertThat(FlowQueueLimit.perFlow(64 * MIB, 1, Long.MAX_VALUE)).isEqualTo(64 * MIB);
    }

    @Test
    void allQueuesTogetherTakeAtMostAQuarterOfTheHeap() {
        assertThat(FlowQueueLimit.perFlow(64 * MIB, 2, 256 * MIB)).isEqualTo(32 * MIB);
        assertThat(FlowQueueLimit.perFlow(64 * MIB, 16, 256 * MIB)).isEqualTo(4 * MIB);
        assertThat(FlowQueueLimit.perFlow(64 * MIB, 2, 64 * MIB)).isEqualTo(8 * MIB);
    }

    @Test
    void neverBelowOneMebibyteNorAboveTheConfiguredLimit() {
        assertThat(FlowQueueLimit.perFlow(64 * MIB, 128, 64 * MIB)).isEqualTo(MIB);
        assertThat(FlowQueueLimit.perFlow(4096, 2, 64 * MIB)).isEqualTo(4096);
    }

    @Test
    void byteArrayEstimateHasHeaderAndAlignment() {
        assertThat(FlowItem.array(0)).isEqualTo(16);
        assertThat(FlowItem.array(11)).isEqualTo(32);
        assertThat(FlowItem.array(32)).isEqualTo(48);
    }
}
