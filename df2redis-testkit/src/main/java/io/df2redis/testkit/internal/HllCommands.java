package io.df2redis.testkit.internal;

import io.df2redis.protocol.rdb.RdbKeyValue;
import io.df2redis.protocol.rdb.RdbValue;

import java.util.ArrayList;
import java.util.List;

/**
 * HyperLogLog commands as Dragonfly executes and journals them ({@code hll_family.cc}):
 * {@code PFADD} as received, {@code PFMERGE} as {@code SET dst <dense HLL bytes>} (12304 bytes:
 * Dragonfly always writes the merge result densely). Values: {@link Hll}.
 */
final class HllCommands {
    private HllCommands() {
    }

    static void register(Commands.Table t) {
        t.add("PFADD", -2, HllCommands::pfadd);
        t.add("PFMERGE", -2, HllCommands::pfmerge);
    }

    private static Hll load(Exec x, byte[] key) {
        RdbKeyValue kv = x.get(key);
        if (kv == null) {
            return null;
        }
        if (!(kv.value() instanceof RdbValue.StringValue s)) {
            throw Exec.wrongType();
        }
        return Hll.of(s.bytes());
    }

    private static byte[] pfadd(Exec x) {
        byte[] key = x.arg(1);
        RdbKeyValue old = x.get(key);
        Hll h = load(x, key);
        if (h == null) {
            h = Hll.create();
        }
        boolean changed = false; // Dragonfly answers 0 for a new, empty HLL (Redis answers 1)
        for (int i = 2; i < x.argc(); i++) {
            changed |= h.add(x.arg(i));
        }
        x.update(key, old, RdbValue.string(h.bytes()));
        x.auto();
        return Resp.integer(changed ? 1 : 0);
    }

    private static byte[] pfmerge(Exec x) {
        byte[] dst = x.arg(1);
        List<byte[]> keys = x.tail(1);
        x.span(keys);
        x.multiHop();
        List<Hll> sources = new ArrayList<>();
        for (byte[] k : keys) {
            Hll h = load(x, k);
            if (h != null) {
                sources.add(h);
            }
        }
        byte[] merged = Hll.merge(sources);
        RdbKeyValue old = x.get(dst);
        x.update(dst, old, RdbValue.string(merged));
        x.journal(dst, 1, "SET", dst, merged);
        return Resp.OK;
    }
}
