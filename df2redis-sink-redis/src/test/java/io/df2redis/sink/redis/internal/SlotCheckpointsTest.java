package io.df2redis.sink.redis.internal;

import io.df2redis.sink.redis.internal.cluster.SlotHash;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The per-slot checkpoint keys of a cluster target and the exactly-once skip rule. */
class SlotCheckpointsTest {
    private final SlotCheckpoints slots = new SlotCheckpoints("df2redis:checkpoint");

    @Test
    void everySlotHasItsOwnKeyInThatSlot() {
        Set<String> names = new HashSet<>();
        for (int s = 0; s < SlotHash.SLOTS; s++) {
            byte[] k = slots.key(s);
            assertThat(SlotHash.slot(k)).as("slot of %s", new String(k, StandardCharsets.UTF_8)).isEqualTo(s);
            assertThat(slots.slotOf(k)).isEqualTo(s);
            assertThat(new String(k, StandardCharsets.UTF_8)).startsWith("df2redis:checkpoint:{").endsWith("}");
            names.add(new String(k, StandardCharsets.UTF_8));
        }
        assertThat(names).hasSize(SlotHash.SLOTS);
        assertThat(slots.pattern()).isEqualTo("df2redis:checkpoint:{*}");
    }

    @Test
    void otherKeysAreNoSlotCheckpoint() {
        for (String k : new String[] {"df2redis:checkpoint", "df2redis:checkpoint:{x}", "user:{1}", "", "a"}) {
            byte[] b = k.getBytes(StandardCharsets.UTF_8);
            if (!java.util.Arrays.equals(b, slots.key(SlotHash.slot(b)))) {
                assertThat(slots.slotOf(b)).as(k).isEqualTo(-1);
            }
        }
        assertThat(new SlotCheckpoints("a*b?").pattern()).isEqualTo("a\\*b\\?:{*}");
    }

    @Test
    void aSlotWithoutPositionsSkipsNothing() {
        assertThat(slots.skip(7, 0, 1)).isFalse();
        long[][] t = new long[SlotHash.SLOTS][];
        t[7] = new long[] {100, -1};
        slots.positions(t);
        assertThat(slots.skip(8, 0, 1)).isFalse();
        assertThat(slots.skip(7, 1, 1)).as("flow 1 has no position in slot 7").isFalse();
        assertThat(slots.skip(7, 2, 1)).as("a flow beyond the row").isFalse();
        slots.clearPositions();
        assertThat(slots.skip(7, 0, 1)).isFalse();
    }

    /** An entry is skipped in a slot exactly when the slot's hash says the flow's position passed it. */
    @Property(tries = 300)
    void skipsExactlyTheEntriesBelowTheSlotsPosition(@ForAll @IntRange(min = 0, max = 16383) int slot,
                                                     @ForAll @IntRange(min = 0, max = 3) int flow,
                                                     @ForAll @LongRange(min = 1, max = 1_000_000) long position,
                                                     @ForAll @LongRange(min = 1, max = 1_000_000) long lsn) {
        long[][] t = new long[SlotHash.SLOTS][];
        t[slot] = new long[] {-1, -1, -1, -1};
        t[slot][flow] = position;
        slots.positions(t);
        assertThat(slots.skip(slot, flow, lsn)).isEqualTo(lsn < position);
        assertThat(slots.skip((slot + 1) % SlotHash.SLOTS, flow, lsn)).as("another slot").isFalse();
        assertThat(slots.skip(slot, (flow + 1) % 4, lsn)).as("another flow").isFalse();
    }

    @Test
    void rowsAreReadFromTheHashAndForeignFieldsRefused() {
        assertThat(SlotCheckpoints.row(Map.of("lsn:0", "12", "lsn:2", "40"), 3)).containsExactly(12, -1, 40);
        assertThat(SlotCheckpoints.row(Map.of("lsn:5", "1"), 2)).containsExactly(-1, -1);
        assertThatThrownBy(() -> SlotCheckpoints.row(Map.of("master", "x"), 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("master");
        assertThatThrownBy(() -> SlotCheckpoints.row(Map.of("lsn:0", "x"), 2))
                .isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> slots.positions(new long[3][])).isInstanceOf(IllegalArgumentException.class);
    }
}
