/**
 * Real {@code redis-server} processes as test fixtures. Public API:
 * {@link io.df2redis.testkit.redis.RedisServerProcess} (one server on a free loopback port in a
 * temporary directory, with a small blocking client for the test's own reads and writes) and
 * {@link io.df2redis.testkit.redis.RedisClusterProcess} (a Redis Cluster of such servers, with slot
 * migrations to provoke {@code ASK} and {@code MOVED}). Needs JUnit Jupiter on the class path (a
 * test-scope dependency of the tests that use it).
 */
package io.df2redis.testkit.redis;
