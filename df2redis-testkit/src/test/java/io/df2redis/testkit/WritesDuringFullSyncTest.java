package io.df2redis.testkit;

import io.df2redis.protocol.rdb.RdbKeyValue;
import io.df2redis.protocol.rdb.RdbValue;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Writes during a (paced) full sync arrive as JOURNAL_BLOBs; JOURNAL_OFFSET is the next LSN at STARTSTABLE. */
class WritesDuringFullSyncTest {

    @ParameterizedTest
    @EnumSource(value = ReleaseProfile.class, names = {"V1_30", "V1_40"}) // the captured releases
    void writesBecomeJournalBlobsAndTheSnapshotStaysConsistent(ReleaseProfile profile) {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().profile(profile).shards(2)
                .compression(CompressionMode.LZ4).paceSnapshot(40_000).start();
             TestReplica r = TestReplica.connect(m)) {
            for (int i = 0; i < 300; i++) {
                m.put(RdbKeyValue.of("key:" + i, RdbValue.string("initial-value-" + i + "-" + "p".repeat(80))));
            }
            r.handshake();
            r.openFlows();
            m.write("SET", "before-sync", "1"); // after FLOW, before SYNC: in the snapshot, consumes an LSN
            r.sync();
            int i = 0;
            while (!(r.flow(0).fullSyncEndSeen() && r.flow(1).fullSyncEndSeen())) {
                m.write("SET", "key:" + (i * 7 % 300), "updated-" + i);
                if (i % 5 == 0) {
                    m.write("DEL", "key:" + (i * 11 % 300));
                }
                if (i % 9 == 0) {
                    m.write("MSET", "new:" + i, "a", "other:" + i, "b");
                }
                i++;
                for (FlowReader f : r.flows) {
                    f.readFor(Duration.ofMillis(5));
                }
                assertThat(i).as("full sync should take a while with pacing").isLessThan(5000);
            }
            assertThat(i).isGreaterThan(5);
            // between FULLSYNC_END and STARTSTABLE
            m.write("SET", "after-end:a", "x");
            m.write("SET", "after-end:b", "y");
            long[] expectedOffsets = m.replicaOffsets();
            r.startStable().awaitJournal();

            int blobsBeforeEnd = 0;
            for (FlowReader f : r.flows) {
                List<Map<String, Object>> recs = f.flatRecords();
                long blobs = recs.stream().filter(x -> "JOURNAL_BLOB".equals(x.get("op"))).count();
                int end = indexOf(recs, "FULLSYNC_END");
                blobsBeforeEnd += (int) recs.subList(0, end).stream().filter(x -> "JOURNAL_BLOB".equals(x.get("op"))).count();
                assertThat(f.journalOffset()).isEqualTo(expectedOffsets[f.flow]);
                // every write of this shard after DFLY SYNC is one JOURNAL_BLOB; the one before SYNC only consumed an LSN
                long beforeSync = m.shardOf("before-sync") == f.flow ? 1 : 0;
                assertThat(blobs).isEqualTo(f.journalOffset() - 1 - beforeSync);
            }
            assertThat(blobsBeforeEnd).as("blobs interleaved with the snapshot").isGreaterThan(0);
            long afterEnd = r.flows.stream().mapToLong(f -> {
                List<Map<String, Object>> recs = f.flatRecords();
                int end = indexOf(recs, "FULLSYNC_END");
                return recs.subList(end, recs.size()).stream().filter(x -> "JOURNAL_BLOB".equals(x.get("op"))).count();
            }).sum();
            assertThat(afterEnd).isGreaterThanOrEqualTo(2);

            // snapshot + blobs in stream order per flow == the master's keyspace
            Keyspace ks = new Keyspace();
            r.flows.forEach(f -> ks.apply(f.flatRecords()));
            assertThat(ks.db0).isEqualTo(Keyspace.of(m));

            // and the stable journal continues from JOURNAL_OFFSET
            m.write("SET", "key:1", "stable");
            m.write("DEL", "key:2", "key:3", "key:4");
            for (FlowReader f : r.flows) {
                r.awaitLsn(f.flow, m.nextLsn(f.flow));
            }
            Keyspace ks2 = new Keyspace();
            r.flows.forEach(f -> ks2.apply(f.flatRecords()));
            assertThat(ks2.db0).isEqualTo(Keyspace.of(m));
        }
    }

    @org.junit.jupiter.api.Test
    void flushDuringFullSyncFirstSerializesTheRest() {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().compression(CompressionMode.NONE)
                .paceSnapshot(5_000).start();
             TestReplica r = TestReplica.connect(m)) {
            for (int i = 0; i < 100; i++) {
                m.put(RdbKeyValue.of("key:" + i, RdbValue.string("value-" + i)));
            }
            r.handshake();
            r.openFlows();
            r.sync();
            r.flow(0).readFor(Duration.ofMillis(100));
            long seenBefore = r.flow(0).entries().size();
            long tx = m.write("FLUSHDB");
            r.awaitFullSyncEnd().startStable().awaitJournal();
            List<Map<String, Object>> recs = r.flow(0).flatRecords();
            int blob = indexOf(recs, "JOURNAL_BLOB");
            // every entry precedes the FLUSHDB blob, the snapshot was not finished when it was written
            assertThat(recs.subList(blob, recs.size())).noneMatch(x -> "ENTRY".equals(x.get("op")));
            assertThat(recs.stream().filter(x -> "ENTRY".equals(x.get("op")))).hasSize(100);
            assertThat(seenBefore).isLessThan(100);
            assertThat(tx).isPositive();
            assertThat(new Keyspace().apply(recs).db0).isEmpty();
        }
    }

    static int indexOf(List<Map<String, Object>> recs, String op) {
        for (int i = 0; i < recs.size(); i++) {
            if (op.equals(recs.get(i).get("op"))) {
                return i;
            }
        }
        throw new AssertionError("no " + op);
    }
}
