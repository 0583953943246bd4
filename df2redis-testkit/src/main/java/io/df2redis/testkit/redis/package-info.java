/**
 * A real {@code redis-server} process as a test fixture ({@link io.df2redis.testkit.redis.RedisServerProcess}):
 * started on a free loopback port in a temporary directory, with a small blocking client for the
 * test's own reads and writes. Needs JUnit Jupiter on the class path (a test-scope dependency of
 * the tests that use it).
 */
package io.df2redis.testkit.redis;
