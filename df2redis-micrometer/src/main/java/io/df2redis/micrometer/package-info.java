/**
 * Micrometer meters for a df2redis {@code Replicator} and its {@code RedisSink}: bind
 * {@link io.df2redis.micrometer.ReplicatorMetrics} to a {@code MeterRegistry}; the meter names are
 * listed in its Javadoc.
 */
package io.df2redis.micrometer;
