/**
 * The RDB decoding engine behind {@link io.df2redis.protocol.rdb.RdbDecoder}: the engine and its
 * record reader, tagged-chunk reassembly and one value reader per RDB type. Not API.
 */
package io.df2redis.protocol.internal.rdb;
