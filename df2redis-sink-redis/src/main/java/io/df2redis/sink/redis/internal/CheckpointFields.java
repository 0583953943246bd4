package io.df2redis.sink.redis.internal;

import io.df2redis.replica.Checkpoint;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The layout of the checkpoint hash a {@link io.df2redis.sink.redis.TargetCheckpointStore} keeps in
 * the target, in one place: a header ({@code master}, {@code flows}, {@code release},
 * {@code protocol}, {@code state} = {@code stable} or {@code full-sync}, {@code saved}) and, per flow,
 * {@code lsn:<flow>} = the LSN of the next journal entry that flow needs. The header is written by
 * the replicator's checkpoint saves; the {@code lsn:} fields by the transactions that carry the
 * writes ({@link CheckpointBatch}). Stateless.
 */
public final class CheckpointFields {
    static final String MASTER = "master";
    static final String FLOWS = "flows";
    static final String RELEASE = "release";
    static final String PROTOCOL = "protocol";
    static final String STATE = "state";
    static final String SAVED = "saved";
    static final String STABLE = "stable";
    static final String FULL_SYNC = "full-sync";
    static final String LSN = "lsn:";

    private CheckpointFields() {
    }

    /** {@code lsn:<flow> <nextLsn>}: what a transaction of one flow writes. */
    static List<byte[]> flowPosition(int flow, long nextLsn) {
        return List.of(b(LSN + flow), b(Long.toString(nextLsn)));
    }

    /**
     * What the transaction of a global command writes: the header (a {@code FLUSHALL} in the same
     * transaction removed the hash) and every flow's position after the command.
     *
     * @param header the header last saved, or empty (then a restart does a full sync)
     * @param nextLsns per flow, -1 where unknown
     */
    static List<byte[]> allPositions(List<String> header, List<Long> nextLsns) {
        List<byte[]> f = new ArrayList<>();
        for (String h : header) {
            f.add(b(h));
        }
        for (int i = 0; i < nextLsns.size(); i++) {
            if (nextLsns.get(i) >= 0) {
                f.add(b(LSN + i));
                f.add(b(Long.toString(nextLsns.get(i))));
            }
        }
        return f;
    }

    /**
     * The header of {@code c} as {@code field value …}.
     *
     * @param c the checkpoint
     * @return the fields
     */
    public static List<String> header(Checkpoint c) {
        return List.of(MASTER, c.masterId(), FLOWS, Integer.toString(c.flowCount()), RELEASE, c.release(),
                PROTOCOL, Integer.toString(c.protocolVersion()), STATE, c.resumable() ? STABLE : FULL_SYNC,
                SAVED, c.savedAt().toString());
    }

    /**
     * @param flow a flow
     * @return its position field, {@code lsn:<flow>}
     */
    public static String lsnField(int flow) {
        return LSN + flow;
    }

    /**
     * Reads a checkpoint hash.
     *
     * @param h the hash's fields
     * @return the checkpoint, or empty when there is none to resume from, with the reason
     * @throws IllegalArgumentException when the hash is not one this library wrote
     */
    public static Parsed parse(Map<String, String> h) {
        if (h.isEmpty()) {
            return new Parsed(Optional.empty(), "the target holds no checkpoint");
        }
        String master = h.get(MASTER);
        if (master == null) {
            return new Parsed(Optional.empty(), "the target's checkpoint has positions but no header: the last full "
                    + "sync did not reach stable sync");
        }
        int flows = Integer.parseInt(h.getOrDefault(FLOWS, "0"));
        String release = h.getOrDefault(RELEASE, "");
        int protocol = Integer.parseInt(h.getOrDefault(PROTOCOL, "-1"));
        Instant saved = Instant.parse(h.getOrDefault(SAVED, Instant.EPOCH.toString()));
        if (!STABLE.equals(h.get(STATE))) {
            return new Parsed(Optional.of(new Checkpoint(master, flows, release, protocol, List.of(), Optional.empty(),
                    saved)), "a full sync was in progress");
        }
        List<Long> lsns = new ArrayList<>(flows);
        for (int i = 0; i < flows; i++) {
            String v = h.get(LSN + i);
            if (v == null) {
                throw new IllegalArgumentException("the checkpoint names " + flows + " flows but has no " + LSN + i);
            }
            lsns.add(Long.parseLong(v));
        }
        return new Parsed(Optional.of(new Checkpoint(master, flows, release, protocol, lsns, Optional.empty(), saved)),
                "");
    }

    /**
     * A parsed checkpoint hash.
     *
     * @param checkpoint the checkpoint, or empty
     * @param note why it is empty or not resumable, or ""
     */
    public record Parsed(Optional<Checkpoint> checkpoint, String note) {
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
