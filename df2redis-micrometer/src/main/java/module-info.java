/**
 * Optional Micrometer meters for df2redis: {@link io.df2redis.micrometer.ReplicatorMetrics}, a
 * {@code MeterBinder} over a {@code Replicator} and, optionally, its {@code RedisSink}. Only
 * {@code io.df2redis.micrometer} is exported.
 */
module io.df2redis.micrometer {
    requires transitive io.df2redis.replica;
    requires transitive io.df2redis.sink.redis;
    requires transitive micrometer.core;

    exports io.df2redis.micrometer;
}
