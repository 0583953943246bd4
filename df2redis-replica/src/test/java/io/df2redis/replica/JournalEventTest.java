package io.df2redis.replica;

import io.df2redis.protocol.journal.JournalEntry;
import io.df2redis.protocol.journal.JournalOp;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JournalEventTest {

    private static JournalEvent event(JournalOp op, String... words) {
        List<byte[]> args = new ArrayList<>();
        for (String w : words) {
            args.add(w.getBytes(StandardCharsets.UTF_8));
        }
        return new JournalEvent(0, 7, false, new JournalEntry(op, 0, 0, 0, 1, args, 7, false));
    }

    private static List<String> text(List<byte[]> l) {
        return l.stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
    }

    @Test
    void argumentsLeaveOutTheCommandNameWhichArgsKeeps() {
        JournalEvent e = event(JournalOp.COMMAND, "set", "k", "v");
        assertThat(text(e.args())).containsExactly("set", "k", "v");
        assertThat(text(e.arguments())).containsExactly("k", "v");
        assertThat(e.command()).isEqualTo("SET");
    }

    @Test
    void keyIsTheFirstKeyAndKeysFollowTheCommandsKeyPositions() {
        assertThat(new String(event(JournalOp.COMMAND, "SET", "k", "v").key(), StandardCharsets.UTF_8))
                .isEqualTo("k");
        assertThat(text(event(JournalOp.COMMAND, "DEL", "a", "b", "c").keys())).containsExactly("a", "b", "c");
        assertThat(text(event(JournalOp.COMMAND, "MSET", "a", "1", "b", "2").keys())).containsExactly("a", "b");
        assertThat(text(event(JournalOp.COMMAND, "RENAME", "a", "b").keys())).containsExactly("a", "b");
        assertThat(text(event(JournalOp.COMMAND, "HSET", "h", "f", "v").keys())).containsExactly("h");
    }

    @Test
    void commandsWithoutKeysHaveNone() {
        assertThat(event(JournalOp.PING).key()).isNull();
        assertThat(event(JournalOp.PING).arguments()).isEmpty();
        assertThat(event(JournalOp.COMMAND, "FLUSHALL").keys()).isEmpty();
        assertThat(event(JournalOp.COMMAND, "FLUSHALL").key()).isNull();
    }
}
