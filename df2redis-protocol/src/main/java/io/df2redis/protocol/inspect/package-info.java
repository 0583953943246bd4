/**
 * Inspection tooling, not needed to replicate: turning decoded flows and keyspaces into the
 * JSON shapes of the test vectors ({@link io.df2redis.protocol.inspect.FlowRecorder},
 * {@link io.df2redis.protocol.inspect.KeyspaceCollector},
 * {@link io.df2redis.protocol.inspect.KeyspaceReader}, {@link io.df2redis.protocol.inspect.JsonShapes})
 * and a small blocking client ({@link io.df2redis.protocol.inspect.BlockingRespClient}). Used by
 * the command line's {@code inspect}, by the verifier and by tests; planned to move out of the
 * core artifact (see issue 10).
 */
package io.df2redis.protocol.inspect;
