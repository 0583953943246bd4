/**
 * A TCP fault-injection proxy for end-to-end tests: {@link io.df2redis.testkit.proxy.FaultProxy}
 * listens on a loopback port and forwards every connection to an upstream server (a Dragonfly
 * master, a redis-server), and can cut a connection at once or at an exact byte, stall it, slow
 * it down, refuse new connections or stop accepting them ({@link io.df2redis.testkit.proxy.FaultTarget}),
 * in either {@link io.df2redis.testkit.proxy.Direction}.
 * Each {@link io.df2redis.testkit.proxy.ProxiedConnection} shows its byte counters and the first
 * command its client sent, so a test can pick, for example, the flow connection of a replica.
 * Random cut offsets come from a caller's {@link java.util.Random}, so a failing run can be
 * reproduced from its seed. Only Netty and SLF4J are needed at run time.
 */
package io.df2redis.testkit.proxy;
