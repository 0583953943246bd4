package io.df2redis.sink.redis.internal;

import io.df2redis.sink.redis.UnsupportedData;
import io.df2redis.sink.redis.internal.cluster.CommandKeys;
import io.df2redis.sink.redis.internal.cluster.SlotHash;

import java.util.List;

/**
 * Routing of journal commands on a Redis Cluster target: a command's keys pick the node; a
 * command whose keys span several slots is split per slot when its meaning survives ({@code DEL},
 * {@code UNLINK}, {@code TOUCH}, {@code EXISTS}, {@code MSET}) and otherwise goes to the
 * unsupported-data policy ({@link UnsupportedData#REASON_CROSS_SLOT}); commands without keys
 * that concern the whole keyspace go to every master. On a standalone target every command goes
 * as it is. Stateless.
 */
final class ClusterSplit {
    private ClusterSplit() {
    }

    /** Sends journal command {@code args} (named {@code name}) of source db {@code onDb}. */
    static void route(CommandSender out, int onDb, String name, List<byte[]> args) {
        if (!out.lane().cluster()) {
            out.send(onDb, args.size() > 1 ? args.get(1) : null, args);
            return;
        }
        if (CommandKeys.isBroadcast(name)) {
            out.broadcast(onDb, name, args);
            return;
        }
        int[] keys = CommandKeys.keyIndexes(name, args);
        if (keys.length == 0) {
            out.send(onDb, null, args);
            return;
        }
        int slot = SlotHash.slot(args.get(keys[0]));
        boolean oneSlot = true;
        for (int i = 1; i < keys.length && oneSlot; i++) {
            oneSlot = SlotHash.slot(args.get(keys[i])) == slot;
        }
        if (oneSlot) {
            out.send(onDb, args.get(keys[0]), args);
            return;
        }
        List<List<byte[]>> parts = CommandKeys.splitBySlot(name, args);
        if (parts == null) {
            out.unsupported(args.get(keys[0]), onDb, name, UnsupportedData.REASON_CROSS_SLOT);
            return;
        }
        for (List<byte[]> part : parts) {
            out.send(onDb, part.get(1), part);
        }
    }
}
