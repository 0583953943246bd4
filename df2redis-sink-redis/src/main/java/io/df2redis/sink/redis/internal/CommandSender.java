package io.df2redis.sink.redis.internal;

import io.df2redis.protocol.resp.ErrorReply;
import io.df2redis.protocol.resp.RespReply;
import io.df2redis.sink.redis.UnsupportedData;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Where the translators of one {@link FlowWriter} put their commands: through the flow's
 * {@link Lane}, with the source db mapped to the target db, each command's reply registered with
 * the current event's {@link Ack}, and what Redis cannot hold handed to the sink's policy.
 *
 * <p>Thread ownership: confined to the thread applying the flow's current event (the
 * {@link FlowWriter}'s lock); {@code ack} and {@code transactional} are set per event by the writer.
 */
final class CommandSender {
    private final Lane lane;
    private final FlowWriter.Host host;
    private final DbMapping dbs;
    private final CheckpointWriter batch;
    private final StringBatch strings;
    private Ack ack;
    private boolean transactional;
    private int lastWrittenDb = -1;

    /**
     * @param strings the flow's {@code MSET} batch of snapshot strings, or null to write each with
     *     {@code SET}
     */
    CommandSender(Lane lane, FlowWriter.Host host, DbMapping dbs, CheckpointWriter batch, StringBatch strings) {
        this.lane = lane;
        this.host = host;
        this.dbs = dbs;
        this.batch = batch;
        this.strings = strings;
    }

    /**
     * A whole snapshot string without a TTL: {@code SET key value}, batched into an {@code MSET}
     * when the flow has a {@link StringBatch}.
     */
    void setWhole(int onDb, byte[] key, byte[] value) {
        if (strings == null) {
            cmd(onDb, key, b("SET"), key, value);
            return;
        }
        if (ack.failed()) {
            return;
        }
        int d = dbs.target(onDb, key, lane.cluster());
        wrote(d);
        ack.registerShared(strings.add(d, key, value));
    }

    /** Sends the open {@code MSET} batch, if any (before anything else leaves this flow). */
    void flushStrings() {
        if (strings != null) {
            strings.flush();
        }
    }

    Lane lane() {
        return lane;
    }

    FlowWriter.Host host() {
        return host;
    }

    DbMapping dbs() {
        return dbs;
    }

    /** The event being applied (set by the writer, null between events). */
    void ack(Ack a) {
        this.ack = a;
    }

    /**
     * Whether the commands of the current event go into the flow's checkpoint transaction
     * ({@link CheckpointWriter}) rather than straight to the lane (set by the writer per event).
     */
    void transactional(boolean on) {
        this.transactional = on;
    }

    private CompletableFuture<RespReply> dispatch(int d, byte[] key, List<byte[]> args) {
        return transactional ? batch.add(d, key, args) : lane.send(d, key, args);
    }

    void cmd(int onDb, byte[] key, byte[]... args) {
        send(onDb, key, List.of(args));
    }

    /** Sends one command about {@code key} (the routing key on a cluster) of source db {@code onDb}. */
    void send(int onDb, byte[] key, List<byte[]> args) {
        send(onDb, key, args, null);
    }

    /**
     * Sends a snapshot write that does nothing when its key is taken (the {@code KeyConflictPolicy}):
     * when {@code taken} says so of the reply, the sink's host counts the conflict or fails the event.
     *
     * @param key the routing key (the snapshot key, or its staging key in the same slot)
     * @param conflict the snapshot key as reported: key, source db, type, reason key-conflict
     * @param taken true for the reply of a write that found its key taken
     */
    void sendUnlessTaken(int onDb, byte[] key, List<byte[]> args, UnsupportedData conflict,
                         Predicate<RespReply> taken) {
        send(onDb, key, args, f -> {
            CompletableFuture<RespReply> checked = new CompletableFuture<>();
            f.whenComplete((r, t) -> {
                RuntimeException e = t == null && !(r instanceof ErrorReply) && taken.test(r)
                        ? host.keyConflict(lane.endpoint(), conflict) : null;
                if (t != null) {
                    checked.completeExceptionally(t);
                } else if (e != null) {
                    checked.completeExceptionally(e);
                } else {
                    checked.complete(r);
                }
            });
            return checked;
        });
    }

    private void send(int onDb, byte[] key, List<byte[]> args,
                      UnaryOperator<CompletableFuture<RespReply>> check) {
        if (ack.failed()) {
            return; // the event already failed: send nothing more for it
        }
        int d = dbs.target(onDb, key, lane.cluster());
        wrote(d);
        if (strings == null) {
            CompletableFuture<RespReply> f = dispatch(d, key, args);
            ack.register(check == null ? f : check.apply(f), args.get(0), key, d);
            return;
        }
        synchronized (strings) { // the open MSET first, and nothing between it and this command
            strings.flush();
            CompletableFuture<RespReply> f = dispatch(d, key, args);
            ack.register(check == null ? f : check.apply(f), args.get(0), key, d);
        }
    }

    /** Sends a command of source db {@code onDb} to every master. */
    void broadcast(int onDb, String name, List<byte[]> args) {
        if (ack.failed()) {
            return;
        }
        broadcastTo(dbs.target(onDb, null, lane.cluster()), name, args);
    }

    /** Sends a command into target db {@code d} of every master. */
    void broadcastTo(int d, String name, List<byte[]> args) {
        flushStrings();
        wrote(d);
        if (transactional && !lane.cluster()) {
            ack.register(batch.add(d, null, args), args.get(0), null, d); // one node: into the transaction
            return;
        }
        for (CompletableFuture<RespReply> f : lane.broadcast(d, args)) {
            ack.register(f, args.get(0), null, d);
        }
    }

    /** Tells the host of a write into target db {@code d}, once per change of db (it keeps a set). */
    private void wrote(int d) {
        if (d != lastWrittenDb) {
            host.wrote(d);
            lastWrittenDb = d;
        }
    }

    /** Hands data Redis cannot hold to the sink's policy; throws under {@code FAIL}. */
    void unsupported(byte[] key, int onDb, String type, String reason) {
        RuntimeException e = host.unsupported(new UnsupportedData(key, onDb, type, reason));
        if (e != null) {
            throw e;
        }
    }

    static List<byte[]> with(List<byte[]> head, List<byte[]> tail) {
        List<byte[]> a = new ArrayList<>(head.size() + tail.size());
        a.addAll(head);
        a.addAll(tail);
        return a;
    }

    static boolean eq(byte[] a, String s) {
        return new String(a, StandardCharsets.UTF_8).equalsIgnoreCase(s);
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
