package io.df2redis.sink.redis.internal;

import io.df2redis.sink.redis.KeyFilter;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.df2redis.sink.redis.internal.JournalFilter.Kind.APPLY;
import static io.df2redis.sink.redis.internal.JournalFilter.Kind.DROP;
import static io.df2redis.sink.redis.internal.JournalFilter.Kind.FLUSH;
import static io.df2redis.sink.redis.internal.JournalFilter.Kind.SPLIT;
import static org.assertj.core.api.Assertions.assertThat;

/** A key filter applied to journal commands: kept, renamed, cut, dropped or refused, never half applied. */
class JournalFilterTest {
    private static final KeyFilter USERS = KeyFilter.builder().includeKeys("user:*").renamePrefix("user:", "u:")
            .build();

    private static List<byte[]> cmd(String... a) {
        List<byte[]> l = new ArrayList<>();
        for (String s : a) {
            l.add(s.getBytes(StandardCharsets.UTF_8));
        }
        return l;
    }

    private static List<String> text(List<byte[]> a) {
        return a.stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
    }

    private static JournalFilter.Outcome run(KeyFilter f, int db, String... a) {
        return JournalFilter.apply(f, db, a[0], cmd(a));
    }

    @Test
    void passingKeysAreRenamedOthersDropped() {
        JournalFilter.Outcome o = run(USERS, 0, "SET", "user:1", "x");
        assertThat(o.kind()).isEqualTo(APPLY);
        assertThat(text(o.args())).containsExactly("SET", "u:1", "x");
        assertThat(run(USERS, 0, "SET", "order:1", "x").kind()).isEqualTo(DROP);
        assertThat(text(run(USERS, 0, "RENAME", "user:1", "user:2").args())).containsExactly("RENAME", "u:1", "u:2");
        assertThat(text(run(USERS, 0, "EVAL", "return 1", "2", "user:a", "user:b", "arg").args()))
                .containsExactly("EVAL", "return 1", "2", "u:a", "u:b", "arg");
    }

    @Test
    void multiKeyCommandsAreCutWhereThatKeepsTheirMeaningElseRefused() {
        assertThat(text(run(USERS, 0, "DEL", "user:1", "order:1", "user:2").args()))
                .containsExactly("DEL", "u:1", "u:2");
        assertThat(text(run(USERS, 0, "MSET", "order:1", "a", "user:1", "b").args()))
                .containsExactly("MSET", "u:1", "b");
        assertThat(text(run(USERS, 0, "UNLINK", "order:1", "user:9").args())).containsExactly("UNLINK", "u:9");
        assertThat(run(USERS, 0, "RENAME", "user:1", "order:1").kind()).isEqualTo(SPLIT);
        assertThat(run(USERS, 0, "SMOVE", "order:s", "user:s", "m").kind()).isEqualTo(SPLIT);
        assertThat(run(USERS, 0, "SUNIONSTORE", "user:d", "user:a", "order:b").kind()).isEqualTo(SPLIT);
        assertThat(run(USERS, 0, "MSETNX", "user:1", "a", "order:1", "b").kind()).as("MSETNX is all or nothing")
                .isEqualTo(SPLIT);
        assertThat(run(USERS, 0, "DEL", "order:1", "order:2").kind()).isEqualTo(DROP);
    }

    @Test
    void dbsCommandsAndTypesAreFiltered() {
        KeyFilter f = KeyFilter.builder().excludeDbs(3).excludeTypes("stream", "list").excludeCommands("publish")
                .build();
        assertThat(run(f, 3, "SET", "a", "1").kind()).isEqualTo(DROP);
        assertThat(run(f, 0, "SET", "a", "1").kind()).isEqualTo(APPLY);
        assertThat(run(f, 0, "XADD", "s", "*", "f", "v").kind()).isEqualTo(DROP);
        assertThat(run(f, 0, "LPUSH", "l", "x").kind()).isEqualTo(DROP);
        assertThat(run(f, 0, "BLMOVE", "a", "b", "LEFT", "RIGHT", "0").kind()).isEqualTo(DROP);
        assertThat(run(f, 0, "SADD", "s", "x").kind()).isEqualTo(APPLY);
        assertThat(run(f, 0, "DEL", "l").kind()).as("a command of any type").isEqualTo(APPLY);
        assertThat(run(f, 0, "PUBLISH", "ch", "m").kind()).isEqualTo(DROP);
        assertThat(JournalFilter.typeOf("HINCRBY", cmd("HINCRBY", "h", "f", "1"))).isEqualTo("hash");
        assertThat(JournalFilter.typeOf("ZADD", cmd("ZADD", "z", "1", "m"))).isEqualTo("zset");
        assertThat(JournalFilter.typeOf("SETEX", cmd("SETEX", "k", "1", "v"))).isEqualTo("string");
        assertThat(JournalFilter.typeOf("STICK", cmd("STICK", "k"))).isNull();
        assertThat(JournalFilter.typeOf("EXPIRE", cmd("EXPIRE", "k", "1"))).isNull();
    }

    @Test
    void aFlushIsRefusedWhenTheFilterSelectsKeysOrDbs() {
        assertThat(run(USERS, 0, "FLUSHALL").kind()).isEqualTo(FLUSH);
        assertThat(run(USERS, 0, "FLUSHDB").kind()).isEqualTo(FLUSH);
        KeyFilter dbs = KeyFilter.builder().includeDbs(0, 1).build();
        assertThat(run(dbs, 0, "FLUSHDB").kind()).isEqualTo(APPLY);
        assertThat(run(dbs, 2, "FLUSHDB").kind()).isEqualTo(DROP);
        assertThat(run(dbs, 0, "FLUSHALL").kind()).as("would flush dbs the filter never writes").isEqualTo(FLUSH);
        KeyFilter renameOnly = KeyFilter.builder().renamePrefix("a:", "b:").build();
        assertThat(run(renameOnly, 0, "FLUSHALL").kind()).isEqualTo(APPLY);
        assertThat(run(KeyFilter.all(), 0, "FLUSHALL").kind()).isEqualTo(APPLY);
    }
}
