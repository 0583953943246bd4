/**
 * Dragonfly's journal (spec §5): the resumable {@link io.df2redis.protocol.journal.JournalDecoder},
 * the {@link io.df2redis.protocol.journal.JournalEncoder}, decoded
 * {@link io.df2redis.protocol.journal.JournalEntry}s and their
 * {@link io.df2redis.protocol.journal.JournalOp}s.
 */
package io.df2redis.protocol.journal;
