/**
 * Inspection, not needed to replicate: decoded flows and keyspaces as JSON-ready Java values in
 * the shapes of the test vectors. Public API:
 *
 * <ul>
 * <li>{@link io.df2redis.tools.inspect.FlowRecorder}: an {@code RdbHandler} and journal handler
 *     recording a replication flow as a list of ops (the vectors' {@code decoded.json});</li>
 * <li>{@link io.df2redis.tools.inspect.KeyspaceCollector}: an {@code RdbHandler} collecting the
 *     keyspace of a snapshot (the vectors' {@code expected.json});</li>
 * <li>{@link io.df2redis.tools.inspect.KeyspaceReader}: the same keyspace shape read from a live
 *     server with read commands;</li>
 * <li>{@link io.df2redis.tools.inspect.JsonShapes}: the byte-string, key and score conventions of
 *     that JSON; {@link io.df2redis.tools.inspect.RawJson}: embedded JSON text.</li>
 * </ul>
 *
 * Used by the command line's {@code inspect} and {@code demo}, the verifier's difference reports
 * and the test kit.
 */
package io.df2redis.tools.inspect;
