/**
 * RDB files and Dragonfly replication flows (spec §4). Public API:
 *
 * <ul>
 * <li>decoding: the resumable {@link io.df2redis.protocol.rdb.RdbDecoder} (configured by
 *     {@link io.df2redis.protocol.rdb.RdbDecoderOptions}) reporting to an
 *     {@link io.df2redis.protocol.rdb.RdbHandler}: entries ({@link io.df2redis.protocol.rdb.RdbEntry},
 *     {@link io.df2redis.protocol.rdb.EntrySummary}), their values in
 *     {@link io.df2redis.protocol.rdb.ValueBatch}es, metadata records and journal blobs; failures are
 *     {@link io.df2redis.protocol.rdb.RdbProtocolException}s;</li>
 * <li>encoding: {@link io.df2redis.protocol.rdb.RdbEncoder} (built by
 *     {@link io.df2redis.protocol.rdb.RdbEncoderBuilder}) writes every record and value type from
 *     {@link io.df2redis.protocol.rdb.RdbKeyValue} / {@link io.df2redis.protocol.rdb.RdbValue}, a unit
 *     at a time with an {@link io.df2redis.protocol.rdb.EntryWriter}; the setting-free primitives
 *     and fixed-layout records are {@link io.df2redis.protocol.rdb.RdbRecords}; module values use
 *     {@link io.df2redis.protocol.rdb.ModuleIds} and {@link io.df2redis.protocol.rdb.ModuleOpcodes};</li>
 * <li>shared: the byte values ({@link io.df2redis.protocol.rdb.RdbOpcodes}), the value types
 *     ({@link io.df2redis.protocol.rdb.RdbType}), {@link io.df2redis.protocol.rdb.StreamId},
 *     {@link io.df2redis.protocol.rdb.Compression} and
 *     {@link io.df2redis.protocol.rdb.StringEncoding}.</li>
 * </ul>
 */
package io.df2redis.protocol.rdb;
