package io.df2redis.testkit;

import java.util.List;
import java.util.Map;

/**
 * An embedded master with a test replica in stable sync, for tests of what the journal gets:
 * the entries each flow carried ({@code "COMMAND SET k v"}, {@code "EXPIRED DEL k"}, {@code "PING"};
 * LSN records left out) and their txids and shard counts.
 */
final class JournalProbe implements AutoCloseable {
    final EmbeddedDragonflyMaster m;
    final TestReplica r;

    private JournalProbe(EmbeddedDragonflyMaster m) {
        this.m = m;
        this.r = TestReplica.connect(m);
        r.fullSync();
    }

    static JournalProbe start(ReleaseProfile profile, int shards) {
        return new JournalProbe(EmbeddedDragonflyMaster.builder().profile(profile).shards(shards).start());
    }

    /** A key {@code prefix<n>} living on {@code shard}. */
    String key(String prefix, int shard) {
        return StableSyncTest.keyOnShard(m, prefix, shard);
    }

    /** The entries flow {@code i} carried so far (waits until it caught up with the master). */
    List<Map<String, Object>> raw(int i) {
        FlowReader f = r.awaitLsn(i, m.nextLsn(i));
        return StableSyncTest.journal(f).stream().filter(x -> !"LSN".equals(x.get("op"))).toList();
    }

    List<String> entries(int i) {
        return raw(i).stream().map(StableSyncTest::describe).toList();
    }

    /** The txids of flow {@code i}'s entries, in order. */
    List<Long> txids(int i) {
        return raw(i).stream().map(x -> (Long) x.getOrDefault("txid", 0L)).toList();
    }

    /** The shard_cnt of flow {@code i}'s entries, in order. */
    List<Long> shardCounts(int i) {
        return raw(i).stream().map(x -> (Long) x.getOrDefault("shard_cnt", 0L)).toList();
    }

    @Override
    public void close() {
        r.close();
        m.close();
    }
}
