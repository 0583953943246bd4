/**
 * Dragonfly's journal (spec §5), the stream of commands a flow sends in stable sync. Public API:
 *
 * <ul>
 * <li>{@link io.df2redis.protocol.journal.JournalDecoder}: the resumable decoder, reporting to a
 *     {@link io.df2redis.protocol.journal.JournalHandler}; malformed input is a
 *     {@link io.df2redis.protocol.journal.JournalProtocolException};</li>
 * <li>{@link io.df2redis.protocol.journal.JournalEntry}: one decoded entry (its
 *     {@link io.df2redis.protocol.journal.JournalOp}, db, txid, shard count and arguments);</li>
 * <li>{@link io.df2redis.protocol.journal.JournalEncoder}: writes entries in the wire format (the
 *     test kit's master and the benchmarks use it).</li>
 * </ul>
 */
package io.df2redis.protocol.journal;
