package io.df2redis.testkit.internal;

/**
 * Maps a key to its shard: FNV-1a over the key, or over its hash tag (the text between the first
 * '{' and the next '}' when non-empty, as in Redis Cluster), modulo the shard count.
 */
public final class Sharding {
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
        int from = 0;
        int to = key.length;
        for (int i = 0; i < key.length; i++) {
            if (key[i] == '{') {
                for (int j = i + 1; j < key.length; j++) {
                    if (key[j] == '}') {
                        if (j > i + 1) {
                            from = i + 1;
                            to = j;
                        }
                        break;
                    }
                }
                break;
            }
        }
        long h = 0xcbf29ce484222325L;
        for (int i = from; i < to; i++) {
            h ^= key[i] & 0xFF;
            h *= 0x100000001b3L;
        }
        return (int) Long.remainderUnsigned(h, shards);
    }
}
