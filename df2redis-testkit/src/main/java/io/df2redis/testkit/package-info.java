/**
 * An embedded Dragonfly master for tests: {@link io.df2redis.testkit.EmbeddedDragonflyMaster}
 * speaks the master side of Dragonfly replication on a loopback port (live emulation of a
 * {@link io.df2redis.testkit.ReleaseProfile}, or replay of a captured test vector), with hooks to
 * observe the replica (commands, ACKs) and to inject faults (dropped or stalled flows, LOADING
 * replies, a Redis look-alike, restarts).
 */
package io.df2redis.testkit;
