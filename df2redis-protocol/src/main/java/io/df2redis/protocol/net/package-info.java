/**
 * Network addressing shared by every df2redis connection: {@link io.df2redis.protocol.net.HostAndPort}
 * parses and prints {@code host:port} endpoints (IPv6 in brackets) the same way for the replica,
 * the sink, the verifier and the command line.
 */
package io.df2redis.protocol.net;
