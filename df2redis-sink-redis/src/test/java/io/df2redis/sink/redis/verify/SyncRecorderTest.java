package io.df2redis.sink.redis.verify;

import io.df2redis.protocol.journal.JournalEntry;
import io.df2redis.protocol.journal.JournalOp;
import io.df2redis.protocol.rdb.EntrySummary;
import io.df2redis.protocol.rdb.RdbEntry;
import io.df2redis.protocol.rdb.RdbType;
import io.df2redis.protocol.rdb.StringEncoding;
import io.df2redis.protocol.rdb.ValueBatch;
import io.df2redis.replica.JournalEvent;
import io.df2redis.replica.SinkEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The sync digest without servers: canonical hashes, spilling, limits, live-write tracking. */
class SyncRecorderTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static RdbEntry entry(int db, String key, RdbType type) {
        return new RdbEntry(0, db, b(key), type, -1, 0, 0, -1, -1, StringEncoding.RAW, 0);
    }

    private static void key(SyncRecorder r, RdbEntry e, ValueBatch... batches) {
        r.apply(new SinkEvent.EntryStart(0, e));
        for (ValueBatch v : batches) {
            r.apply(new SinkEvent.EntryBatch(0, e, v));
        }
        r.apply(new SinkEvent.EntryEnd(0, e, null));
    }

    private static JournalEvent journal(int db, String... args) {
        List<byte[]> a = new ArrayList<>();
        for (String s : args) {
            a.add(b(s));
        }
        return new JournalEvent(0, 1, false, new JournalEntry(JournalOp.COMMAND, 0, db, 1, 1, a, 0, false));
    }

    private static List<KeyDigest> all(SyncRecorder r) {
        List<KeyDigest> out = new ArrayList<>();
        for (Iterator<KeyDigest> it = r.digests(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }

    @Test
    void stringHashDoesNotDependOnChunking() {
        ValueHash whole = new ValueHash();
        byte[] v = b("the quick brown fox jumps over the lazy dog");
        whole.stringBytes(v, 0, v.length);
        ValueHash split = new ValueHash();
        split.stringBytes(v, 0, 3);
        split.stringBytes(v, 3, 11);
        split.stringBytes(v, 14, v.length - 14);
        assertThat(split.hash()).isEqualTo(whole.hash());
        ValueHash other = new ValueHash();
        byte[] w = b("the quick brown fox jumps over the lazy cog");
        other.stringBytes(w, 0, w.length);
        assertThat(other.hash()).isNotEqualTo(whole.hash());
    }

    @Test
    void setsAndHashesIgnoreOrderListsDoNot() {
        ValueHash s1 = new ValueHash();
        ValueHash s2 = new ValueHash();
        for (String m : List.of("a", "b", "c")) {
            s1.setMember(b(m));
        }
        for (String m : List.of("c", "a", "b")) {
            s2.setMember(b(m));
        }
        assertThat(s1.hash()).isEqualTo(s2.hash());
        ValueHash l1 = new ValueHash();
        ValueHash l2 = new ValueHash();
        l1.listElement(b("a"));
        l1.listElement(b("b"));
        l2.listElement(b("b"));
        l2.listElement(b("a"));
        assertThat(l1.hash()).isNotEqualTo(l2.hash());
        ValueHash h1 = new ValueHash();
        ValueHash h2 = new ValueHash();
        h1.hashField(b("f"), b("ab"));
        h2.hashField(b("fa"), b("b")); // same concatenation, different split
        assertThat(h1.hash()).isNotEqualTo(h2.hash());
    }

    @Test
    void spillsAboveTheMemoryBudgetAndKeepsOrder(@TempDir Path dir) throws Exception {
        try (SyncRecorder r = SyncRecorder.builder().memoryKeys(3).spillDirectory(dir).build()) {
            for (int i = 0; i < 10; i++) {
                key(r, entry(i % 2, "k" + i, RdbType.STRING), new ValueBatch.StringChunk(b("v" + i), 0, 2));
            }
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files.count()).as("a spill file").isEqualTo(1);
            }
            List<KeyDigest> d = all(r);
            assertThat(d).extracting(k -> new String(k.key(), StandardCharsets.UTF_8))
                    .containsExactly("k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9");
            assertThat(d.get(5).db()).isEqualTo(1);
            assertThat(d.get(5).count()).isEqualTo(2);
            assertThat(r.recorded()).isEqualTo(10);
            assertThat(r.notRecorded()).isZero();
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.count()).as("spill file deleted on close").isZero();
        }
    }

    @Test
    void limitsCountKeysNotRecorded() {
        try (SyncRecorder r = SyncRecorder.builder().maxKeys(4).build();
             SyncRecorder noSpill = SyncRecorder.builder().memoryKeys(2).spillDirectory(null).build()) {
            for (int i = 0; i < 7; i++) {
                key(r, entry(0, "k" + i, RdbType.STRING), new ValueBatch.StringChunk(b("v"), 0, 1));
                key(noSpill, entry(0, "k" + i, RdbType.STRING), new ValueBatch.StringChunk(b("v"), 0, 1));
            }
            assertThat(r.recorded()).isEqualTo(4);
            assertThat(r.notRecorded()).isEqualTo(3);
            assertThat(all(r)).hasSize(4);
            assertThat(noSpill.recorded()).isEqualTo(2);
            assertThat(noSpill.notRecorded()).isEqualTo(5);
        }
    }

    @Test
    void liveWritesMarkTheirKeys() {
        try (SyncRecorder r = SyncRecorder.builder().build()) {
            r.apply(new SinkEvent.Journal(0, journal(0, "SET", "a", "1")));
            r.apply(new SinkEvent.Journal(0, journal(0, "MSET", "m1", "x", "m2", "y")));
            r.apply(new SinkEvent.Journal(0, journal(3, "DEL", "d1", "d2")));
            r.apply(new SinkEvent.Journal(0, journal(0, "ZUNIONSTORE", "dst", "2", "z1", "z2", "WEIGHTS", "1", "2")));
            assertThat(r.maybeChanged(0, b("a"))).isTrue();
            assertThat(r.maybeChanged(1, b("a"))).as("another db").isFalse();
            assertThat(r.maybeChanged(0, b("m1"))).isTrue();
            assertThat(r.maybeChanged(0, b("m2"))).isTrue();
            assertThat(r.maybeChanged(0, b("x"))).as("a value, not a key").isFalse();
            assertThat(r.maybeChanged(3, b("d2"))).isTrue();
            assertThat(r.maybeChanged(0, b("z2"))).isTrue();
            assertThat(r.maybeChanged(0, b("dst"))).isTrue();
            assertThat(r.maybeChanged(0, b("untouched"))).isFalse();
            r.apply(new SinkEvent.GlobalCommand(-1, journal(2, "FLUSHDB")));
            assertThat(r.maybeChanged(2, b("anything"))).isTrue();
            assertThat(r.maybeChanged(4, b("anything"))).isFalse();
            r.apply(new SinkEvent.FullSyncStart(-1, null));
            assertThat(r.maybeChanged(0, b("a"))).as("a new full sync starts over").isFalse();
        }
    }

    @Test
    void memberTtlsAndModuleTypesAreNotRecordedByValue() {
        try (SyncRecorder r = SyncRecorder.builder().build()) {
            key(r, entry(0, "s", RdbType.SET_WITH_EXPIRY),
                    new ValueBatch.SetMembers(List.of(b("m")), new long[] {1234}));
            key(r, entry(0, "j", RdbType.JSON), new ValueBatch.JsonDocument(b("{}")));
            key(r, entry(0, "plain", RdbType.SET_WITH_EXPIRY),
                    new ValueBatch.SetMembers(List.of(b("m")), new long[] {-1}));
            List<KeyDigest> d = all(r);
            assertThat(d.get(0).valueRecorded()).isFalse();
            assertThat(d.get(0).note()).contains("own TTL");
            assertThat(d.get(1).valueRecorded()).isFalse();
            assertThat(d.get(1).type()).isEqualTo("ReJSON-RL");
            assertThat(d.get(2).valueRecorded()).isTrue();
        }
    }
}
