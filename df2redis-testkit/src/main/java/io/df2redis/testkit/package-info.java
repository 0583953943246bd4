/**
 * An embedded Dragonfly master for tests, and what tests need around it. Public API:
 *
 * <ul>
 * <li>{@link io.df2redis.testkit.EmbeddedDragonflyMaster}: speaks the master side of Dragonfly
 *     replication on a loopback port (live emulation of a
 *     {@link io.df2redis.testkit.ReleaseProfile}, or replay of a captured test vector), with hooks
 *     to observe the replica (commands, ACKs) and to inject faults (dropped or stalled flows,
 *     LOADING replies, a Redis look-alike, restarts); set up with
 *     {@link io.df2redis.testkit.EmbeddedDragonflyMasterBuilder} and its
 *     {@link io.df2redis.testkit.CompressionMode};</li>
 * <li>what it lets a test observe: {@link io.df2redis.testkit.ConnectionRecord} (one client
 *     connection's commands) and {@link io.df2redis.testkit.SessionState} (a replication session's
 *     master-side state);</li>
 * <li>test data: {@link io.df2redis.testkit.SampleDatasets} (datasets and the expected keyspace)
 *     and {@link io.df2redis.testkit.CapturedCases} (the shared captured vectors).</li>
 * </ul>
 *
 * Sub-packages: {@link io.df2redis.testkit.dragonfly} (embedded or real Dragonfly for scenarios),
 * {@link io.df2redis.testkit.redis} (real redis-server processes), {@link io.df2redis.testkit.proxy}
 * (a fault-injecting TCP proxy), {@link io.df2redis.testkit.tls} (test certificates).
 * {@code io.df2redis.testkit.internal} is not exported.
 */
package io.df2redis.testkit;
