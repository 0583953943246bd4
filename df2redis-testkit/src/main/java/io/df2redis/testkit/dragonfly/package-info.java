/**
 * Masters for end-to-end scenarios, so that a scenario runs unchanged against the embedded master
 * and a real Dragonfly. Public API: {@link io.df2redis.testkit.dragonfly.DragonflySpec} (what the
 * scenario needs of the master: shards, release, flags),
 * {@link io.df2redis.testkit.dragonfly.DragonflyUnderTest} (the master a scenario talks to, started
 * from a spec) and {@link io.df2redis.testkit.dragonfly.RealDragonfly} (a real one, selected by
 * {@code DF2REDIS_DRAGONFLY_BIN}, {@code DF2REDIS_DRAGONFLY_ADDR} or Docker).
 */
package io.df2redis.testkit.dragonfly;
