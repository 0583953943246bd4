package io.df2redis.sink.redis.internal;

import io.df2redis.protocol.net.HostAndPort;
import io.df2redis.protocol.resp.ArrayReply;
import io.df2redis.protocol.resp.ErrorReply;
import io.df2redis.protocol.resp.RespReplies;
import io.df2redis.protocol.resp.RespReply;
import io.df2redis.replica.CheckpointStoreException;
import io.df2redis.sink.redis.internal.cluster.ClusterLane;
import io.df2redis.sink.redis.internal.cluster.ClusterRouter;
import io.df2redis.sink.redis.internal.cluster.SlotHash;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The checkpoint store's access to a Redis Cluster target: the header hash (routed by its slot)
 * and the slots' hashes ({@link SlotCheckpoints}) — read all ({@code SCAN} of every master, then
 * {@code HGETALL}), created for every slot, deleted. Blocking calls with a timeout, on the calling
 * thread (the replicator's checkpoint threads, never an event loop); every failure is a
 * {@link CheckpointStoreException} naming the store.
 *
 * <p>Thread ownership: called under the store's lock only; {@code lane} is opened lazily and
 * replaced when closed.
 */
public final class ClusterCheckpointKeys {
    private final Supplier<ClusterRouter> router;
    private final LongAdder commands;
    private final SlotCheckpoints slots;
    private final byte[] headerKey;
    private final Duration timeout;
    private final String where;
    private ClusterLane lane;

    /**
     * @param router the sink's cluster router (created and refreshed on demand)
     * @param commands the sink's command counter
     * @param slots the slots' checkpoints
     * @param headerKey the header hash's name
     * @param timeout how long one call may wait
     * @param where the store, for messages
     */
    public ClusterCheckpointKeys(Supplier<ClusterRouter> router, LongAdder commands, SlotCheckpoints slots,
                                 String headerKey, Duration timeout, String where) {
        this.router = router;
        this.commands = commands;
        this.slots = slots;
        this.headerKey = headerKey.getBytes(StandardCharsets.UTF_8);
        this.timeout = timeout;
        this.where = where;
    }

    /** @return the slots' checkpoints */
    public SlotCheckpoints slots() {
        return slots;
    }

    /**
     * One command about the header hash (its second argument is the key).
     *
     * @param args the command
     * @return its reply
     */
    public RespReply call(String... args) {
        List<byte[]> a = new ArrayList<>(args.length);
        for (String s : args) {
            a.add(s.getBytes(StandardCharsets.UTF_8));
        }
        return await(lane().send(0, headerKey, a), args[0]);
    }

    /**
     * {@code MULTI}, {@code commands}, {@code EXEC} on the header's slot.
     *
     * @param commands commands about the header hash only
     * @return the {@code EXEC} reply
     */
    public RespReply transaction(List<List<String>> commands) {
        List<List<byte[]>> tx = new ArrayList<>(commands.size());
        for (List<String> c : commands) {
            tx.add(c.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList());
        }
        return await(lane().sendTransaction(SlotHash.slot(headerKey), tx), "EXEC");
    }

    /**
     * Reads every slot's hash.
     *
     * @param flows the checkpoint's flow count
     * @return per slot, per flow, the next LSN (a null row for a slot without a hash)
     */
    public long[][] read(int flows) {
        long[][] table = new long[SlotHash.SLOTS][];
        List<byte[]> found = scan();
        List<CompletableFuture<RespReply>> replies = new ArrayList<>(found.size());
        for (byte[] k : found) {
            replies.add(lane().send(0, k, List.of(b("HGETALL"), k)));
        }
        for (int i = 0; i < found.size(); i++) {
            RespReply r = await(replies.get(i), "HGETALL");
            if (!(r instanceof ArrayReply a) || a.size() % 2 != 0) {
                throw new CheckpointStoreException(where + ": the slot checkpoint '" + text(found.get(i))
                        + "' is not a hash df2redis wrote (" + r + "); start with --fresh to run a full sync");
            }
            Map<String, String> h = new LinkedHashMap<>();
            for (int j = 0; j < a.size(); j += 2) {
                h.put(RespReplies.text(a.get(j)), RespReplies.text(a.get(j + 1)));
            }
            if (h.isEmpty()) {
                continue; // deleted since the scan
            }
            try {
                table[slots.slotOf(found.get(i))] = SlotCheckpoints.row(h, flows);
            } catch (RuntimeException e) {
                throw new CheckpointStoreException(where + ": the slot checkpoint '" + text(found.get(i))
                        + "' is not one df2redis wrote (" + e.getMessage() + "); start with --fresh to run a full "
                        + "sync", e);
            }
        }
        return table;
    }

    /**
     * Gives every slot its hash, with {@code nextLsns} for each flow where the slot has no value yet
     * ({@code HSETNX}: a value a transaction wrote is never lowered).
     *
     * @param nextLsns per flow
     */
    public void create(List<Long> nextLsns) {
        List<CompletableFuture<RespReply>> sent = new ArrayList<>(SlotHash.SLOTS * nextLsns.size());
        for (int s = 0; s < SlotHash.SLOTS; s++) {
            for (int f = 0; f < nextLsns.size(); f++) {
                sent.add(lane().send(0, slots.key(s), List.of(b("HSETNX"), slots.key(s),
                        b(CheckpointFields.lsnField(f)), b(Long.toString(nextLsns.get(f))))));
            }
        }
        expectNoError(sent, "HSETNX");
    }

    /** @return how many slots' hashes the target holds */
    public long count() {
        return scan().size();
    }

    /** Deletes every slot's hash. */
    public void deleteAll() {
        List<CompletableFuture<RespReply>> sent = new ArrayList<>();
        for (byte[] k : scan()) {
            sent.add(lane().send(0, k, List.of(b("UNLINK"), k)));
        }
        expectNoError(sent, "UNLINK");
    }

    /** Closes the store's connections. */
    public void close() {
        if (lane != null) {
            lane.close();
            lane = null;
        }
    }

    /** The names of the slot hashes on every master ({@code SCAN … MATCH}). */
    private List<byte[]> scan() {
        List<byte[]> keys = new ArrayList<>();
        ClusterLane l = lane();
        for (HostAndPort m : router.get().topology().masters()) {
            String cursor = "0";
            do {
                RespReply r = await(l.sendTo(m, List.of(b("SCAN"), b(cursor), b("MATCH"), b(slots.pattern()),
                        b("COUNT"), b("1000"))), "SCAN");
                if (!(r instanceof ArrayReply a) || a.size() != 2 || !(a.get(1) instanceof ArrayReply page)) {
                    throw new CheckpointStoreException(where + ": SCAN on " + m + " answered " + r);
                }
                cursor = RespReplies.text(a.get(0));
                for (RespReply k : page.elements()) {
                    byte[] key = RespReplies.text(k).getBytes(StandardCharsets.UTF_8);
                    if (slots.slotOf(key) >= 0) {
                        keys.add(key);
                    }
                }
            } while (!"0".equals(cursor));
        }
        return keys;
    }

    private void expectNoError(List<CompletableFuture<RespReply>> sent, String what) {
        for (CompletableFuture<RespReply> f : sent) {
            RespReply r = await(f, what);
            if (r instanceof ErrorReply e) {
                throw new CheckpointStoreException(where + ": " + what + " of a slot checkpoint refused: "
                        + e.message());
            }
        }
    }

    private ClusterLane lane() {
        if (lane == null) {
            try {
                ClusterRouter r = router.get();
                if (r.topology().masters().isEmpty()) {
                    r.refresh();
                }
                lane = new ClusterLane(r, "checkpoint", commands);
            } catch (RuntimeException e) {
                throw new CheckpointStoreException(where + " could not be reached: " + e.getMessage(), e);
            }
        }
        return lane;
    }

    private RespReply await(CompletableFuture<RespReply> f, String what) {
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CheckpointStoreException(where + ": interrupted waiting for " + what, e);
        } catch (Exception e) {
            close(); // a lane that failed is not used again
            Throwable c = e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
            throw new CheckpointStoreException(where + " could not be reached (" + what + "): " + c, c);
        }
    }

    private static String text(byte[] k) {
        return new String(k, StandardCharsets.UTF_8);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
