package io.df2redis.testkit.internal;

import net.jpountz.xxhash.XXHash64;
import net.jpountz.xxhash.XXHashFactory;

/**
 * Maps a key to its shard as Dragonfly does outside cluster mode: XXH64 of the whole key with
 * Dragonfly's seed, modulo the shard count. Hash tags do not count (Dragonfly honours them only
 * in cluster mode or with {@code --lock_on_hashtags}), so {@code {t}a} and {@code {t}b} may live
 * on different shards.
 */
public final class Sharding {
    /** The seed of {@code Shard()} in Dragonfly's {@code sharding.cc}. */
    private static final long SEED = 120_577_240_643L;
    private static final XXHash64 XXH64 = XXHashFactory.fastestJavaInstance().hash64();

    private final int shards;

    public Sharding(int shards) {
        this.shards = shards;
    }

    public int shards() {
        return shards;
    }

    public int shardOf(byte[] key) {
        if (shards == 1) {
            return 0;
        }
        return (int) Long.remainderUnsigned(XXH64.hash(key, 0, key.length, SEED), shards);
    }
}
