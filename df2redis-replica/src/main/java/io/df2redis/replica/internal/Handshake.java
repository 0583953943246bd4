package io.df2redis.replica.internal;

import io.df2redis.protocol.resp.ArrayReply;
import io.df2redis.protocol.resp.BulkString;
import io.df2redis.protocol.resp.ErrorReply;
import io.df2redis.protocol.resp.IntegerReply;
import io.df2redis.protocol.resp.RespReply;
import io.df2redis.protocol.resp.SimpleString;
import io.df2redis.replica.HandshakeException;
import io.df2redis.replica.MasterInfo;
import io.df2redis.replica.ReplicatorOptions;
import io.df2redis.replica.UnsupportedMasterException;

import static io.df2redis.replica.internal.SourceCommands.text;

/**
 * The replica handshake on the control connection (spec §2): AUTH, PING, the REPLCONF sequence,
 * {@code REPLCONF capa dragonfly} (master id, sync id, flow count) and INFO SERVER (release).
 * Each unwanted reply ends in a typed error naming the Dragonfly source
 * ({@link SourceCommands#replyError}, {@link UnsupportedMasterException}).
 *
 * <p>Stateless apart from its final collaborators; runs on the supervisor thread.
 */
final class Handshake {
    private final ReplicatorOptions options;
    private final SourceCommands cmd;

    Handshake(ReplicatorOptions options, SourceCommands cmd) {
        this.options = options;
        this.cmd = cmd;
    }

    /** Runs the handshake on {@code c}; returns what the master told about itself. */
    MasterInfo run(ControlConnection c) {
        cmd.auth(c::command);
        RespReply pong = cmd.get(c.command("PING"), "PING");
        if (!(pong instanceof SimpleString s && s.value().equals("PONG"))) {
            throw cmd.replyError("PING", pong);
        }
        cmd.expectOk(c.command("REPLCONF", "listening-port", options.listeningPort()), "REPLCONF listening-port");
        if (options.announceIp() != null) {
            cmd.expectOk(c.command("REPLCONF", "ip-address", options.announceIp()), "REPLCONF ip-address");
        }
        cmd.expectOk(c.command("REPLCONF", "capa", "eof", "capa", "psync2"), "REPLCONF capa eof capa psync2");
        RespReply capa = cmd.get(c.command("REPLCONF", "capa", "dragonfly"), "REPLCONF capa dragonfly");
        MasterInfo m = parseCapa(capa);
        cmd.expectOk(c.command("REPLCONF", "CLIENT-ID", options.clientId()), "REPLCONF CLIENT-ID");
        cmd.expectOk(c.command("REPLCONF", "CLIENT-VERSION", 4), "REPLCONF CLIENT-VERSION");
        String release = "";
        RespReply info = cmd.get(c.command("INFO", "SERVER"), "INFO SERVER");
        if (info instanceof BulkString b) {
            for (String line : b.asString().split("\r?\n")) {
                if (line.startsWith("dragonfly_version:")) {
                    release = line.substring("dragonfly_version:".length()).trim();
                }
            }
        }
        return new MasterInfo(m.masterId(), m.syncId(), m.flowCount(), m.protocolVersion(), m.lineageId(), release);
    }

    private MasterInfo parseCapa(RespReply r) {
        if (r instanceof SimpleString s && s.value().equals("OK")) {
            throw new UnsupportedMasterException("the source at " + options.source().address() + " answered +OK to "
                    + "REPLCONF capa dragonfly: it is not a Dragonfly server (a Redis master?) and cannot be replicated "
                    + "with this library");
        }
        if (r instanceof ErrorReply e) {
            if (e.message().contains("replica")) {
                throw new UnsupportedMasterException("the Dragonfly source at " + options.source().address()
                        + " refuses replication: " + e.message());
            }
            throw cmd.replyError("REPLCONF capa dragonfly", r);
        }
        if (!(r instanceof ArrayReply a) || a.size() < 3) {
            throw new HandshakeException("unexpected reply to REPLCONF capa dragonfly: " + r);
        }
        String id = text(a.get(0));
        String sync = text(a.get(1));
        if (id.length() != 40 || !(a.get(0) instanceof SimpleString)) {
            throw new HandshakeException("bad master id in the capa reply: " + a.get(0));
        }
        if (!(a.get(2) instanceof IntegerReply n) || n.value() < 1 || n.value() > 1024) {
            throw new HandshakeException("bad flow count in the capa reply: " + a.get(2));
        }
        int version = a.size() > 3 && a.get(3) instanceof IntegerReply v ? (int) v.value() : -1;
        String lineage = a.size() > 4 ? text(a.get(4)) : id;
        return new MasterInfo(id, sync, (int) n.value(), version, lineage, "");
    }
}
