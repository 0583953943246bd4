package io.df2redis.replica;

import io.df2redis.protocol.journal.JournalEntry;
import io.df2redis.protocol.journal.JournalOp;
import io.df2redis.protocol.rdb.RdbEntry;
import io.df2redis.protocol.rdb.RdbType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The policy values, their back-off formula, and failure descriptions that never carry values. */
class HandlerFailurePolicyTest {

    @Test
    void failIsTheDefault() {
        ReplicatorOptions o = ReplicatorOptions.builder(DragonflyEndpoint.of("h", 1)).build();
        assertThat(o.handlerFailurePolicy().action()).isEqualTo(HandlerFailurePolicy.Action.FAIL);
        assertThat(o.handlerFailurePolicy().maxAttempts()).isEqualTo(1);
        HandlerFailurePolicy skip = HandlerFailurePolicy.skip(f -> { });
        assertThat(o.toBuilder().handlerFailurePolicy(skip).build().handlerFailurePolicy()).isSameAs(skip);
    }

    @Test
    void retryBacksOffExponentiallyUpToTheCap() {
        HandlerFailurePolicy p = HandlerFailurePolicy.retry(Duration.ofMillis(100), Duration.ofSeconds(1), 10);
        assertThat(p.backoff(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(p.backoff(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(p.backoff(3)).isEqualTo(Duration.ofMillis(400));
        assertThat(p.backoff(4)).isEqualTo(Duration.ofMillis(800));
        assertThat(p.backoff(5)).isEqualTo(Duration.ofSeconds(1));
        assertThat(p.backoff(1_000_000)).isEqualTo(Duration.ofSeconds(1));
        assertThat(p.toString()).isEqualTo("retry(100 ms .. 1000 ms, 10 attempts)");
    }

    @Test
    void invalidRetrySettingsAreRefused() {
        assertThatThrownBy(() -> HandlerFailurePolicy.retry(Duration.ZERO, Duration.ofSeconds(1), 3))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HandlerFailurePolicy.retry(Duration.ofSeconds(2), Duration.ofSeconds(1), 3))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HandlerFailurePolicy.retry(Duration.ofSeconds(1), Duration.ofSeconds(1), 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HandlerFailurePolicy.skip(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void descriptionsNameKeysAndCommandsButNoValues() {
        JournalEntry e = new JournalEntry(JournalOp.COMMAND, 0, 3, 0, 1, List.of(b("SET"), b("user:1"), b("TopSecret")),
                42, true);
        JournalEvent ev = new JournalEvent(2, 42, false, e);
        assertThat(HandlerFailure.describe(ev)).isEqualTo("journal entry LSN 42: SET 'user:1' … (db 3)")
                .doesNotContain("TopSecret");
        JournalEntry auth = new JournalEntry(JournalOp.COMMAND, 0, 0, 0, 1,
                List.of(b("CONFIG"), b("SET"), b("requirepass"), b("TopSecret")), 7, true);
        assertThat(HandlerFailure.describe(new JournalEvent(0, 7, false, auth))).doesNotContain("TopSecret");
        RdbEntry key = new RdbEntry(0, 0, "k\u0001".getBytes(StandardCharsets.UTF_8), RdbType.STRING, -1, 0, 0, 0, 0,
                io.df2redis.protocol.rdb.StringEncoding.RAW, 0);
        assertThat(HandlerFailure.describe(new SinkEvent.EntryStart(0, key)))
                .isEqualTo("start of snapshot key 'k\\x01' (db 0, STRING)");
        HandlerFailure f = new HandlerFailure(HandlerFailure.Kind.SINK, "ReplicationSink.apply", 2, 42,
                HandlerFailure.describe(ev), new SinkEvent.Journal(2, ev), new IllegalStateException("refused"), 1);
        assertThat(f.toString()).contains("flow 2, LSN 42").contains("'user:1'").doesNotContain("TopSecret");
        assertThat(new HandlerException(f)).hasMessageContaining("ReplicationSink.apply failed on flow 2, LSN 42")
                .hasMessageContaining("IllegalStateException: refused").hasMessageNotContaining("TopSecret");
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
