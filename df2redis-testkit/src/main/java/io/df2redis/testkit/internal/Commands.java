package io.df2redis.testkit.internal;

import io.df2redis.testkit.ReleaseProfile;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Executes write commands against the {@link Dataset} and records what the journal gets, the
 * way Dragonfly executes and journals them (protocol spec §5.7, §12; the command families:
 * {@link StringCommands}, {@link KeyCommands}, {@link ListCommands}, {@link SetCommands},
 * {@link HashCommands}, {@link ZSetCommands}, {@link StreamCommands}, {@link HllCommands},
 * {@link DocCommands}, {@link SketchCommands}), MULTI/EXEC blocks and scripts
 * ({@link Scripts}). Not thread-safe: used under the master's lock.
 */
final class Commands {
    static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";

    /** One command's implementation: applies it through the context and returns the reply. */
    interface Handler {
        byte[] run(Exec x);
    }

    /**
     * A command: its Redis arity (n: exactly n arguments with the name, -n: at least n) and
     * whether it exists on v1.30.3 too.
     */
    record Spec(int arity, Handler handler, boolean sinceV140) {
    }

    /** The registry the families fill. */
    static final class Table {
        private final Map<String, Spec> specs = new HashMap<>();

        void add(String name, int arity, Handler h) {
            specs.put(name, new Spec(arity, h, false));
        }

        /** A command that v1.30.3 does not know (CMS.*, TOPK.*, CF.*). */
        void addV140(String name, int arity, Handler h) {
            specs.put(name, new Spec(arity, h, true));
        }
    }

    private static final Map<String, Spec> SPECS;

    static {
        Table t = new Table();
        StringCommands.register(t);
        KeyCommands.register(t);
        ListCommands.register(t);
        SetCommands.register(t);
        HashCommands.register(t);
        ZSetCommands.register(t);
        StreamCommands.register(t);
        HllCommands.register(t);
        DocCommands.register(t);
        SketchCommands.register(t);
        SPECS = Map.copyOf(t.specs);
    }

    /** The outcome of a MULTI/EXEC block: its plan and the db the connection is in afterwards. */
    record Batch(Plan plan, int db) {
    }

    private final Dataset ds;
    private final Sharding sharding;
    private final ReleaseProfile profile;
    private final Dumps dumps;
    private final Scripts scripts;
    private final Scripts.ReadFn reads;

    Commands(Dataset ds, Sharding sharding, ReleaseProfile profile, Dumps dumps, List<String> scriptBodies,
             Scripts.ReadFn reads) {
        this.ds = ds;
        this.sharding = sharding;
        this.profile = profile;
        this.dumps = dumps;
        this.reads = reads;
        this.scripts = new Scripts(this, scriptBodies, reads);
    }

    /** Whether {@code name} (upper case) is a write command this master executes for {@code profile}. */
    static boolean isWrite(String name, ReleaseProfile profile) {
        Spec s = SPECS.get(name);
        return s != null && (!s.sinceV140() || profile == ReleaseProfile.V1_40);
    }

    /** Whether {@code name} is a write command, a script command or a transaction command. */
    boolean known(String name) {
        return isWrite(name, profile) || Scripts.NAMES.contains(name);
    }

    /**
     * Executes one command. A command that is neither a write command nor a script is
     * journaled verbatim on the shard of its first argument without changing the dataset (the
     * programmatic {@code write} API's escape hatch).
     */
    Plan execute(int db, List<byte[]> args, long nowMs) {
        if (args.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        Exec x = context();
        String name = Exec.upper(args.get(0));
        if (!known(name)) {
            x.begin(db, args, nowMs);
            if (args.size() >= 2) {
                x.auto();
            }
            return x.plan(Resp.OK, null);
        }
        try {
            return x.plan(run(x, db, args, nowMs), null);
        } catch (IllegalArgumentException | IllegalStateException e) {
            return x.plan(Resp.error(e.getMessage()), e);
        }
    }

    /** Executes a MULTI/EXEC block: one transaction, every entry with the same txid. */
    Batch exec(int db, List<List<byte[]>> queued, long nowMs) {
        Exec x = context();
        x.multiHop();
        int current = db;
        List<byte[]> replies = new ArrayList<>(queued.size());
        for (List<byte[]> cmd : queued) {
            String name = Exec.upper(cmd.get(0));
            try {
                if (name.equals("SELECT")) {
                    current = select(cmd);
                    replies.add(Resp.OK);
                } else if (Reads.NAMES.contains(name)) {
                    replies.add(reads.read(current, cmd, nowMs));
                } else {
                    replies.add(run(x, current, cmd, nowMs));
                }
            } catch (IllegalArgumentException | IllegalStateException e) {
                replies.add(Resp.error(e.getMessage()));
            }
        }
        return new Batch(x.plan(Resp.array(replies.toArray(new byte[0][])), null), current);
    }

    /** EVAL / EVALSHA / SCRIPT: the script's writes as one transaction. */
    Plan script(int db, List<byte[]> args, long nowMs) {
        Exec x = context();
        try {
            return x.plan(scripts.run(x, db, args, nowMs), null);
        } catch (IllegalArgumentException | IllegalStateException e) {
            return x.plan(Resp.error(e.getMessage()), e);
        }
    }

    /** Runs one command of a block or a script in {@code x}: arity check, then its handler. */
    byte[] run(Exec x, int db, List<byte[]> args, long nowMs) {
        String name = Exec.upper(args.get(0));
        Spec spec = SPECS.get(name);
        if (spec == null || (spec.sinceV140() && profile != ReleaseProfile.V1_40)) {
            throw new IllegalArgumentException("ERR unknown command `" + name + "`");
        }
        if (spec.arity() > 0 ? args.size() != spec.arity() : args.size() < -spec.arity()) {
            throw Reads.wrongArgs(name);
        }
        x.begin(db, args, nowMs);
        return spec.handler().run(x);
    }

    /** Removes an expired key: EXPIRED (v1.30) or COMMAND (v1.40) {@code DEL key}, txid 0. */
    Plan expireNow(int db, byte[] key) {
        Exec x = context();
        if (ds.remove(db, new ByteKey(key)) != null) {
            x.expired(db, key);
        }
        return x.plan(Resp.integer(0), null);
    }

    /** The db {@code SELECT index} switches to; errors as Dragonfly words them. */
    static int select(List<byte[]> args) {
        if (args.size() != 2) {
            throw Reads.wrongArgs("SELECT");
        }
        long n;
        try {
            n = number(args.get(1));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(Resp.NOT_INTEGER);
        }
        if (n < 0 || n >= KeyCommands.DBNUM) {
            throw new IllegalArgumentException(KeyCommands.DB_RANGE);
        }
        return (int) n;
    }

    private Exec context() {
        return new Exec(ds, sharding, profile, dumps);
    }

    /** A signed 64-bit decimal as Redis accepts it (no '+', no leading zeros: "01" is not an integer). */
    static long number(byte[] b) {
        return Reads.integer(b);
    }

    static String upper(byte[] b) {
        return new String(b, StandardCharsets.UTF_8).toUpperCase(Locale.ROOT);
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
