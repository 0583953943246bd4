package io.df2redis.sink.redis.internal;

import io.df2redis.replica.Checkpoint;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The layout of the checkpoint hash kept in the target: what is written and how it reads back. */
class CheckpointFieldsTest {
    private static final Instant AT = Instant.parse("2026-12-04T06:00:00Z");

    private static Map<String, String> hash(List<String> fieldsAndValues) {
        Map<String, String> h = new HashMap<>();
        for (int i = 0; i < fieldsAndValues.size(); i += 2) {
            h.put(fieldsAndValues.get(i), fieldsAndValues.get(i + 1));
        }
        return h;
    }

    @Test
    void aStableHeaderWithEveryFlowsPositionReadsBackAsTheSameCheckpoint() {
        Checkpoint c = new Checkpoint("abc123", 2, "df-v1.40.1", 3, List.of(10L, 20L), Optional.empty(), AT);
        Map<String, String> h = hash(CheckpointFields.header(c));
        h.put(CheckpointFields.lsnField(0), "10");
        h.put(CheckpointFields.lsnField(1), "20");
        Checkpoint back = CheckpointFields.parse(h).checkpoint().orElseThrow();
        assertThat(back.samePosition(c)).isTrue();
        assertThat(back.release()).isEqualTo("df-v1.40.1");
        assertThat(back.protocolVersion()).isEqualTo(3);
        assertThat(back.savedAt()).isEqualTo(AT);
    }

    @Test
    void positionsWithoutAHeaderAreNoCheckpoint() {
        // the transactions of a full sync that never reached stable sync wrote lsn fields only
        CheckpointFields.Parsed p = CheckpointFields.parse(Map.of("lsn:0", "5"));
        assertThat(p.checkpoint()).isEmpty();
        assertThat(p.note()).contains("no header");
        assertThat(CheckpointFields.parse(Map.of()).checkpoint()).isEmpty();
    }

    @Test
    void aFullSyncInProgressIsNotResumable() {
        Checkpoint c = Checkpoint.fullSyncInProgress(new io.df2redis.replica.MasterInfo("abc123", "SYNC1", 2, 3,
                "", "df-v1.40.1"), Optional.empty(), AT);
        Map<String, String> h = hash(CheckpointFields.header(c));
        h.put("lsn:0", "7"); // a stale position must not make it resumable
        assertThat(CheckpointFields.parse(h).checkpoint().orElseThrow().resumable()).isFalse();
    }

    @Test
    void aStableHeaderMissingAFlowsPositionIsRejected() {
        Checkpoint c = new Checkpoint("abc123", 2, "", -1, List.of(1L, 2L), Optional.empty(), AT);
        Map<String, String> h = hash(CheckpointFields.header(c));
        h.put("lsn:0", "1");
        assertThatThrownBy(() -> CheckpointFields.parse(h)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lsn:1");
    }

    @Test
    void aGlobalCommandRewritesTheHeaderAndEveryKnownPosition() {
        List<byte[]> f = CheckpointFields.allPositions(List.of("master", "abc"), List.of(11L, -1L, 13L));
        assertThat(f.stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList())
                .containsExactly("master", "abc", "lsn:0", "11", "lsn:2", "13");
        assertThat(CheckpointFields.flowPosition(3, 99).stream().map(b -> new String(b, StandardCharsets.UTF_8))
                .toList()).containsExactly("lsn:3", "99");
    }
}
