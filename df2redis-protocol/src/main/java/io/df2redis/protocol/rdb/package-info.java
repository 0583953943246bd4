/**
 * RDB files and Dragonfly replication flows (spec §4): the resumable
 * {@link io.df2redis.protocol.rdb.RdbDecoder} reporting to an
 * {@link io.df2redis.protocol.rdb.RdbHandler} (entries, value batches, metadata records, journal
 * blobs), and the {@link io.df2redis.protocol.rdb.RdbEncoder} writing every record and value type
 * from {@link io.df2redis.protocol.rdb.RdbKeyValue} / {@link io.df2redis.protocol.rdb.RdbValue}.
 * {@link io.df2redis.protocol.rdb.RdbOpcodes} is the table of byte values both use.
 */
package io.df2redis.protocol.rdb;
