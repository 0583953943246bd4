package io.df2redis.protocol.rdb;

/**
 * What the decoder learnt about an entry's encoding while reading it, delivered with
 * {@link RdbHandler#onEntryEnd}. Fields that do not apply to the entry's type are 0 (or -1
 * where stated).
 *
 * @param elements number of elements delivered (bytes for strings and JSON)
 * @param declaredCount the element count written in the stream header, or -1 if none
 * @param stringEncoding encoding of a string / JSON value, null for other types
 * @param nodes list nodes (quicklist) or stream listpacks
 * @param plainNodes quicklist-2 PLAIN nodes
 * @param packedNodes quicklist-2 PACKED nodes
 * @param lzfNodes list nodes written LZF-compressed
 * @param intsetWidth bytes per element of an intset, else 0
 * @param deletedInNodes deleted entries still present in stream nodes
 * @param chunks TAGGED_CHUNK records the entry came in (0 if untagged)
 * @param batches value batches delivered
 */
public record EntrySummary(long elements, long declaredCount, StringEncoding stringEncoding, long nodes,
                           long plainNodes, long packedNodes, long lzfNodes, int intsetWidth, long deletedInNodes,
                           int chunks, long batches) {
}
