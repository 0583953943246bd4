package io.df2redis.sink.redis.internal;

import io.df2redis.sink.redis.internal.cluster.SlotHash;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The per-slot checkpoints of an exactly-once Redis Cluster target. A cluster runs a transaction
 * only when every key in it is in one slot, so each slot has its own checkpoint hash,
 * {@code <base>:{<tag>}} with a hash tag chosen so that the key is in that slot; a transaction of
 * a flow's commands for a slot also sets that slot's {@code lsn:<flow>} to the next LSN the flow
 * needs there. The hash moves with its slot in a resharding, and is lost with it when a node loses
 * its data, which is how a lost node is noticed: a target whose every slot holds its checkpoint
 * hash has lost nothing since the checkpoints were written.
 *
 * <p>On resume, the replicator restarts each flow from the position in the header hash (the
 * replicator's own confirmed position, which may lag); an entry of flow {@code f} whose LSN is
 * below slot {@code s}'s {@code lsn:<f>} was already applied there and is skipped
 * ({@link #skip}).
 *
 * <p>Thread ownership: the key names are immutable; the positions table is replaced as a whole
 * ({@link #positions(long[][])}, by the checkpoint store's load or a flush) and read by the flows'
 * writers, through an atomic reference; a table is never modified after it was published.
 */
public final class SlotCheckpoints {
    private static final String[] TAGS = tags();

    private final String base;
    private final byte[][] keys = new byte[SlotHash.SLOTS][];
    private final AtomicReference<long[][]> positions = new AtomicReference<>(new long[SlotHash.SLOTS][]);

    /**
     * @param base the checkpoint's base name (the header hash), e.g. {@code df2redis:checkpoint}
     */
    public SlotCheckpoints(String base) {
        this.base = base;
        for (int s = 0; s < SlotHash.SLOTS; s++) {
            keys[s] = (base + ":{" + TAGS[s] + "}").getBytes(StandardCharsets.UTF_8);
        }
    }

    /**
     * @param slot a slot
     * @return the name of its checkpoint hash (in that slot)
     */
    public byte[] key(int slot) {
        return keys[slot];
    }

    /**
     * @param slot a slot
     * @return the shortest decimal number whose CRC16 lands in {@code slot}: {@code {tag}} in a key name
     *     puts the key into that slot
     */
    static String tag(int slot) {
        return TAGS[slot];
    }

    /**
     * @return the {@code SCAN MATCH} pattern of the slot hashes
     */
    public String pattern() {
        return base.replace("\\", "\\\\").replace("*", "\\*").replace("?", "\\?").replace("[", "\\[") + ":{*}";
    }

    /**
     * @param key a key name
     * @return the slot whose checkpoint hash {@code key} is, or -1 when it is none
     */
    public int slotOf(byte[] key) {
        if (key.length < base.length() + 3) {
            return -1;
        }
        int s = SlotHash.slot(key);
        return Arrays.equals(keys[s], key) ? s : -1;
    }

    /**
     * Publishes what the target's slot hashes say (the store's load): per slot, per flow, the next
     * LSN applied there; a null row for a slot without a hash.
     *
     * @param table per slot, per flow
     */
    public void positions(long[][] table) {
        if (table.length != SlotHash.SLOTS) {
            throw new IllegalArgumentException("a table of " + table.length + " slots");
        }
        positions.set(table);
    }

    /** Forgets every position (the target was flushed: its slot hashes are gone). */
    public void clearPositions() {
        positions.set(new long[SlotHash.SLOTS][]);
    }

    /**
     * Whether an entry was applied to a slot before (and must not be applied again).
     *
     * @param slot the slot of the command
     * @param flow the entry's flow
     * @param lsn the entry's LSN
     * @return true when the slot's checkpoint says the flow's entries up to {@code lsn} ran there
     */
    public boolean skip(int slot, int flow, long lsn) {
        long[] row = positions.get()[slot];
        return row != null && flow < row.length && lsn < row[flow];
    }

    /**
     * Reads one slot hash into a positions row.
     *
     * @param fields its fields ({@code lsn:<flow>} → next LSN)
     * @param flows the flow count of the checkpoint
     * @return the row, -1 for a flow the hash does not name
     * @throws IllegalArgumentException for a field or value this library does not write
     */
    public static long[] row(Map<String, String> fields, int flows) {
        long[] r = new long[flows];
        Arrays.fill(r, -1);
        for (Map.Entry<String, String> e : fields.entrySet()) {
            if (!e.getKey().startsWith(CheckpointFields.LSN)) {
                throw new IllegalArgumentException("unexpected field '" + e.getKey() + "'");
            }
            int f = Integer.parseInt(e.getKey().substring(CheckpointFields.LSN.length()));
            if (f >= 0 && f < flows) {
                r[f] = Long.parseLong(e.getValue());
            }
        }
        return r;
    }

    /** For each slot the shortest decimal number whose CRC16 lands in it (found once, deterministic). */
    private static String[] tags() {
        String[] t = new String[SlotHash.SLOTS];
        int found = 0;
        for (int i = 0; found < SlotHash.SLOTS; i++) {
            byte[] b = Integer.toString(i).getBytes(StandardCharsets.US_ASCII);
            int s = SlotHash.crc16(b, 0, b.length) & (SlotHash.SLOTS - 1);
            if (t[s] == null) {
                t[s] = Integer.toString(i);
                found++;
            }
        }
        return t;
    }
}
