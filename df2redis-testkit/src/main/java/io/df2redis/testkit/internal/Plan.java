package io.df2redis.testkit.internal;

import io.df2redis.protocol.journal.JournalOp;

import java.util.List;
import java.util.Set;

/**
 * What executing a write command (or a MULTI/EXEC block, or a script) did: the journal entries
 * in the order they were recorded, whether they get a transaction id, and the client's reply.
 *
 * @param parts journal entries (empty: nothing journaled)
 * @param tx    whether the entries get a non-zero txid (multi-shard, multi-hop or global
 *              transactions, MULTI/EXEC, scripts); expiry entries keep txid 0 regardless
 * @param reply the RESP reply a client would get (an error reply when {@code error} is set)
 * @param error why the command failed (its entries, e.g. a lazy expiry, still count), or null
 */
record Plan(List<Part> parts, boolean tx, byte[] reply, RuntimeException error) {
    static Plan none(byte[] reply) {
        return new Plan(List.of(), false, reply, null);
    }

    /**
     * One journal entry on one shard.
     *
     * @param db       the db the entry is journaled in (its SELECT)
     * @param shard    the shard (= flow) whose journal gets it
     * @param op       COMMAND, or EXPIRED for a v1.30 expiry
     * @param args     the command as journaled (name first)
     * @param keys     the keys of {@code db} it touches; null = every key of the db (or of every
     *                 db with {@code allDbs}); a snapshot still under way serializes them first
     * @param allDbs   whether it touches every db (FLUSHALL)
     * @param expiry   an expiry/eviction DEL: txid 0 even inside a transaction
     * @param shardCnt the {@code shard_cnt} v1.30 writes (v1.38+ always write 1)
     */
    record Part(int db, int shard, JournalOp op, List<byte[]> args, Set<ByteKey> keys, boolean allDbs,
                boolean expiry, int shardCnt) {
    }
}
