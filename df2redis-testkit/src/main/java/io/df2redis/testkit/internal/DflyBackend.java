package io.df2redis.testkit.internal;

import java.util.List;

/**
 * What every master backend shares: dispatch of PING / INFO / REPLCONF / DFLY, the DFLY
 * sub-command router (with the LOADING and per-sub-command fault hooks), the SYNC/STARTSTABLE arity rule and the
 * binding of a connection to a flow once {@code DFLY FLOW} succeeded. Subclasses decide what
 * the master answers and streams (live data, or a replayed capture).
 */
abstract class DflyBackend implements Backend {
    protected final MasterServer server;
    protected final Object lock;

    protected DflyBackend(MasterServer server) {
        this.server = server;
        this.lock = server.lock();
    }

    @Override
    public final void onCommand(Conn c, List<byte[]> args) {
        String name = Commands.upper(args.get(0));
        switch (name) {
            case "PING":
                c.reply(args.size() > 1 ? Resp.bulk(args.get(1)) : Resp.PONG);
                return;
            case "REPLCONF":
                replconf(c, args);
                return;
            case "DFLY":
                dfly(c, args);
                return;
            case "INFO":
                c.reply(Resp.bulk(info(args.size() > 1 ? Commands.upper(args.get(1)) : "")));
                return;
            default:
                otherCommand(c, name, args);
        }
    }

    private void dfly(Conn c, List<byte[]> args) {
        if (args.size() < 2) {
            c.replyError("ERR wrong number of arguments for 'dfly' command");
            return;
        }
        if (server.takeLoading()) {
            c.replyError(Resp.LOADING);
            return;
        }
        String sub = Commands.upper(args.get(1));
        Runnable hook = server.takeDflyHook(sub);
        if (hook != null) {
            hook.run();
        }
        String fault = server.takeDflyFault(sub);
        if (fault != null) {
            if (!fault.isEmpty()) {
                c.replyError(fault);
            }
            return;
        }
        switch (sub) {
            case "FLOW":
                if (args.size() < 5 || args.size() > 7) {
                    c.replyError(Resp.SYNTAX);
                    return;
                }
                flow(c, args);
                return;
            case "SYNC":
                if (args.size() != 3) {
                    c.replyError(Resp.SYNTAX);
                    return;
                }
                sync(c, args);
                return;
            case "STARTSTABLE":
                if (args.size() != 3) {
                    c.replyError(Resp.SYNTAX);
                    return;
                }
                startStable(c, args);
                return;
            case "REPLICAOFFSET": {
                long[] offsets = replicaOffsets(c);
                byte[][] offs = new byte[offsets.length][];
                for (int i = 0; i < offs.length; i++) {
                    offs[i] = Resp.integer(offsets[i]);
                }
                c.reply(Resp.array(offs));
                return;
            }
            case "THREAD":
                if (args.size() == 2) {
                    c.reply(Resp.array(Resp.integer(0), Resp.integer(1)));
                } else {
                    c.reply(Resp.OK);
                }
                return;
            default:
                c.replyError("ERR Unknown subcommand or wrong number of arguments for '" + sub + "'. Try DFLY HELP.");
        }
    }

    /** Binds {@code c} to flow {@code id} of {@code session} after a successful FLOW reply (under the lock). */
    protected final FlowOutput bindFlow(Conn c, int id, Object session, String syncId) {
        FlowOutput out = new FlowOutput(c.channel);
        c.flowOut = out;
        c.flowId = id;
        c.flowSession = session;
        c.syncId = syncId;
        server.acks().reset(id);
        server.applyArmedFaults(id, out);
        return out;
    }

    /** The INFO reply for {@code section} (upper case, "" for the default). */
    protected abstract String info(String section);

    protected abstract void replconf(Conn c, List<byte[]> args);

    /** {@code DFLY FLOW} with 3 to 5 arguments after FLOW. */
    protected abstract void flow(Conn c, List<byte[]> args);

    /** {@code DFLY SYNC <sync id>}. */
    protected abstract void sync(Conn c, List<byte[]> args);

    /** {@code DFLY STARTSTABLE <sync id>}. */
    protected abstract void startStable(Conn c, List<byte[]> args);

    /** The next LSN of every shard as {@code DFLY REPLICAOFFSET} reports it to {@code c}. */
    protected abstract long[] replicaOffsets(Conn c);

    /** Any other command of an authenticated connection. */
    protected void otherCommand(Conn c, String name, List<byte[]> args) {
        c.replyError("ERR unknown command `" + name + "`");
    }
}
