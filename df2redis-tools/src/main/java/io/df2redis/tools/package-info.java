/**
 * df2redis-tools: what tools and tests need around the codecs and replication does not. Public API:
 *
 * <ul>
 * <li>{@link io.df2redis.tools.SyncRespClient}: a blocking facade over the library's one RESP
 *     client ({@link io.df2redis.protocol.client.RespClient}), with TLS, {@code AUTH} and typed
 *     failures;</li>
 * <li>{@link io.df2redis.tools.RespErrorReplyException}: an error reply where success was
 *     required.</li>
 * </ul>
 *
 * The sub-package {@code inspect} turns decoded flows and keyspaces into JSON shapes.
 */
package io.df2redis.tools;
