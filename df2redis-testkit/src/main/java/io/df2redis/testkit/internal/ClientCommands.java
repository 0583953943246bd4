package io.df2redis.testkit.internal;

import io.df2redis.protocol.rdb.RdbKeyValue;
import io.df2redis.testkit.ReleaseProfile;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The commands of a live master's client connections (those the replication protocol does not
 * own): {@code SELECT}, {@code DBSIZE}, {@code WAIT} (v1.40: a journal PING), MULTI/EXEC/DISCARD
 * (the queued commands run as one transaction), reads ({@link Reads}), scripts
 * ({@link Scripts}), writes ({@link Commands}) and {@code DEBUG POPULATE} ({@link DebugPopulate});
 * and the Keyspace section of {@code INFO}.
 * Runs on the connections' event loops; every piece of state is guarded by the master's lock
 * (a connection's MULTI queue too).
 */
final class ClientCommands {
    private final LiveBackend backend;
    private final Object lock;
    private final Dataset ds;
    private final Reads reads;
    private final Commands commands;
    private final ReleaseProfile profile;

    ClientCommands(LiveBackend backend, Object lock, Dataset ds, Reads reads, Commands commands, ReleaseProfile profile) {
        this.backend = backend;
        this.lock = lock;
        this.ds = ds;
        this.reads = reads;
        this.commands = commands;
        this.profile = profile;
    }

    /** Handles {@code name}; answers unknown commands with the error Dragonfly gives. */
    void handle(Conn c, String name, List<byte[]> args) {
        synchronized (lock) {
            if (c.queued != null && !List.of("EXEC", "DISCARD", "MULTI", "WATCH").contains(name)) {
                queue(c, name, args);
                return;
            }
        }
        switch (name) {
            case "SELECT": {
                try {
                    c.db = Commands.select(args);
                    c.reply(Resp.OK);
                } catch (IllegalArgumentException e) {
                    c.replyError(e.getMessage());
                }
                return;
            }
            case "DBSIZE":
                synchronized (lock) {
                    c.reply(Resp.integer(ds.size(c.db)));
                }
                return;
            case "WAIT":
                if (profile == ReleaseProfile.V1_40) {
                    backend.ping();
                    c.reply(Resp.integer(backend.stableFlows()));
                    return;
                }
                break;
            case "MULTI":
            case "EXEC":
            case "DISCARD":
                transaction(c, name);
                return;
            case "DEBUG":
                if (args.size() >= 2 && Exec.upper(args.get(1)).equals("POPULATE")) {
                    populate(c, args);
                    return;
                }
                c.replyError("ERR Unknown subcommand or wrong number of arguments for '"
                        + (args.size() >= 2 ? Exec.upper(args.get(1)) : "") + "'. Try DEBUG HELP.");
                return;
            default:
                break;
        }
        if (Reads.NAMES.contains(name)) {
            byte[] reply;
            try {
                synchronized (lock) {
                    reply = reads.execute(c.db, args, System.currentTimeMillis());
                }
            } catch (IllegalArgumentException | IllegalStateException e) {
                c.replyError(e.getMessage());
                return;
            }
            c.reply(reply);
            return;
        }
        if (Scripts.NAMES.contains(name)) {
            byte[] reply;
            synchronized (lock) {
                Plan plan = commands.script(c.db, args, System.currentTimeMillis());
                backend.journalFor(c, plan);
                reply = plan.reply();
            }
            backend.throttle.reply(c, reply);
            return;
        }
        if (Commands.isWrite(name, profile)) {
            backend.throttle.reply(c, backend.writeForReply(c, c.db, args));
            return;
        }
        c.replyError("ERR unknown command `" + name + "`");
    }

    /** Queues a command inside MULTI (under the lock); an unknown command makes EXEC fail. */
    private void queue(Conn c, String name, List<byte[]> args) {
        boolean known = Commands.isWrite(name, profile) || Reads.NAMES.contains(name) || name.equals("SELECT");
        if (!known) {
            c.queueError = true;
            c.replyError("ERR unknown command `" + name + "`");
            return;
        }
        c.queued.add(List.copyOf(args));
        c.reply(Resp.simple("QUEUED"));
    }

    /**
     * {@code DEBUG POPULATE} ({@link DebugPopulate}): every generated command runs and is journaled
     * as a client's write; replies OK once all ran (held, like a write's reply, while a replica's
     * flow output is over its limit).
     */
    private void populate(Conn c, List<byte[]> args) {
        DebugPopulate populate;
        try {
            populate = DebugPopulate.parse(args);
        } catch (IllegalArgumentException e) {
            c.replyError(e.getMessage());
            return;
        }
        synchronized (lock) {
            Set<FlowOutput> stalled = new LinkedHashSet<>();
            populate.forEachCommand(backend.shards(), cmd -> {
                backend.journalFor(c, commands.execute(c.db, cmd, System.currentTimeMillis()));
                stalled.addAll(c.stalled);
            });
            c.stalled = List.copyOf(stalled);
        }
        backend.throttle.reply(c, Resp.OK);
    }

    /** MULTI / EXEC / DISCARD: EXEC runs the queued commands as one transaction (one txid). */
    private void transaction(Conn c, String name) {
        synchronized (lock) {
            switch (name) {
                case "MULTI" -> {
                    if (c.queued != null) {
                        c.replyError("ERR MULTI calls can not be nested");
                        return;
                    }
                    c.queued = new ArrayList<>();
                    c.queueError = false;
                    c.reply(Resp.OK);
                }
                case "DISCARD" -> {
                    if (c.queued == null) {
                        c.replyError("ERR DISCARD without MULTI");
                        return;
                    }
                    c.queued = null;
                    c.reply(Resp.OK);
                }
                default -> {
                    if (c.queued == null) {
                        c.replyError("ERR EXEC without MULTI");
                        return;
                    }
                    List<List<byte[]>> queued = c.queued;
                    boolean failed = c.queueError;
                    c.queued = null;
                    if (failed) {
                        c.replyError("EXECABORT Transaction discarded because of previous errors.");
                        return;
                    }
                    Commands.Batch batch = commands.exec(c.db, queued, System.currentTimeMillis());
                    backend.journalFor(c, batch.plan());
                    c.db = batch.db();
                    backend.throttle.reply(c, batch.plan().reply()); // never waits here: holds the reply
                }
            }
        }
    }

    /** {@code dbN:keys=…,expires=…,avg_ttl=-1} for every db holding keys that have not expired. */
    void keyspace(StringBuilder sb) {
        long now = System.currentTimeMillis();
        synchronized (lock) {
            for (int db : ds.dbs()) {
                long keys = 0;
                long expires = 0;
                for (RdbKeyValue kv : ds.entries(db)) {
                    if (kv.expireAtMs() < 0) {
                        keys++;
                    } else if (kv.expireAtMs() > now) {
                        keys++;
                        expires++;
                    }
                }
                if (keys > 0) {
                    sb.append("db").append(db).append(":keys=").append(keys).append(",expires=").append(expires)
                            .append(",avg_ttl=-1\r\n");
                }
            }
        }
    }
}
