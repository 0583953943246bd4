/**
 * df2redis's Redis sink: writes what a {@code Replicator} delivers into a standalone Redis or a
 * Redis Cluster, and the Verifier that compares a source with a target. Its {@code internal}
 * packages are not exported.
 */
module io.df2redis.sink.redis {
    requires transitive io.df2redis.replica;
    requires io.df2redis.tools;
    requires org.slf4j;

    exports io.df2redis.sink.redis;
    exports io.df2redis.sink.redis.verify;
}
