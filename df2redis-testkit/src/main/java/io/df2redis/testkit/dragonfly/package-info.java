/**
 * Masters for end-to-end scenarios: {@link io.df2redis.testkit.dragonfly.DragonflyUnderTest}
 * starts the embedded master or a real Dragonfly from one
 * {@link io.df2redis.testkit.dragonfly.DragonflySpec}, so that a scenario runs unchanged against
 * both ({@code DF2REDIS_DRAGONFLY_BIN}, {@code DF2REDIS_DRAGONFLY_ADDR} or Docker select a real one).
 */
package io.df2redis.testkit.dragonfly;
