/**
 * df2redis's replica: connects to a Dragonfly master as its replica and delivers the full sync and
 * the journal to listeners, journal handlers and a {@link io.df2redis.replica.ReplicationSink}.
 * Its {@code internal} package is not exported.
 */
module io.df2redis.replica {
    requires transitive io.df2redis.protocol;
    requires org.slf4j;

    exports io.df2redis.replica;
}
