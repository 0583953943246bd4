package io.df2redis.testkit.internal;

import io.df2redis.testkit.ReleaseProfile;
import io.df2redis.testkit.SessionState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The replication handshake of a {@link LiveBackend}, as Dragonfly answers it (spec §1–§3):
 * {@code REPLCONF} (with {@code capa dragonfly} opening a session), {@code DFLY FLOW},
 * {@code DFLY SYNC} (starting the snapshot serializers, or on v1.34 the incremental streams of
 * PARTIAL flows) and {@code DFLY STARTSTABLE} (finishing them, or on v1.40 replaying the backlog of
 * a partial sync). Runs on the master's connection threads under
 * the backend's lock, on the backend's state.
 */
final class LiveSyncCommands {
    private static final Logger LOG = LoggerFactory.getLogger(LiveBackend.class);

    private final LiveBackend b;

    LiveSyncCommands(LiveBackend b) {
        this.b = b;
    }

    /** See {@link DflyBackend}. */
    void replconf(Conn c, List<byte[]> args) {
        if (args.size() < 2) {
            c.replyError("ERR wrong number of arguments for 'replconf' command");
            return;
        }
        if ((args.size() - 1) % 2 != 0) {
            c.replyError(Resp.SYNTAX);
            return;
        }
        int pairs = (args.size() - 1) / 2;
        for (int i = 0; i < pairs; i++) {
            String key = Resp.text(args.get(1 + 2 * i)).toLowerCase(Locale.ROOT);
            byte[] val = args.get(2 + 2 * i);
            switch (key) {
                case "capa":
                    if (pairs == 1 && Resp.text(val).equals("dragonfly")) {
                        capaDragonfly(c);
                        return;
                    }
                    break;
                case "listening-port":
                    if (!isInteger(val)) {
                        c.replyError(Resp.NOT_INTEGER);
                        return;
                    }
                    break;
                case "ip-address":
                    break;
                case "client-id":
                case "client-version": {
                    if (pairs != 1) {
                        c.replyError(Resp.SYNTAX);
                        return;
                    }
                    if (key.equals("client-version") && !isInteger(val)) {
                        c.replyError(Resp.NOT_INTEGER);
                        return;
                    }
                    synchronized (b.lock) {
                        LiveSession.Session s = (LiveSession.Session) c.session;
                        if (s == null) {
                            // the real master dereferences a null session here (spec §1.1)
                            c.replyError(Resp.SYNTAX);
                            return;
                        }
                        if (key.equals("client-id")) {
                            s.clientId = Resp.text(val);
                        } else {
                            s.clientVersion = Commands.number(val);
                        }
                    }
                    break;
                }
                case "ack": {
                    if (pairs != 1 || !isInteger(val)) {
                        c.replyError(Resp.SYNTAX);
                        return;
                    }
                    if (c.flowId >= 0) {
                        b.server.acks().record(c.flowId, Commands.number(val));
                    }
                    return; // never answered
                }
                default:
                    c.replyError(Resp.SYNTAX);
                    return;
            }
        }
        c.reply(Resp.OK);
    }

    private void capaDragonfly(Conn c) {
        if (b.server.pretendRedis()) {
            c.reply(Resp.OK);
            return;
        }
        byte[] reply;
        synchronized (b.lock) {
            LiveSession.Session s = new LiveSession.Session(++b.syncCounter, c, b.cfg.shards());
            b.sessions.put(s.number, s);
            b.lastSession = s;
            c.ownedSessions.add(s);
            c.session = s;
            c.syncId = s.syncId;
            String id = b.masterId;
            if (!b.cfg.profile().capaLineageId()) {
                reply = Resp.array(Resp.simple(id), Resp.simple(s.syncId), Resp.integer(b.cfg.shards()),
                        Resp.integer(b.cfg.profile().dflyVersion()));
            } else {
                reply = Resp.array(Resp.simple(id), Resp.simple(s.syncId), Resp.integer(b.cfg.shards()),
                        Resp.integer(b.cfg.profile().dflyVersion()), Resp.simple(id));
            }
        }
        c.reply(reply);
    }

    /** Parses {@code SYNC<n>}: the session number, -1 for a malformed id. */
    static int syncNumber(byte[] arg) {
        String s = Resp.text(arg);
        if (!s.startsWith("SYNC") || s.length() == 4 || s.length() > 14) {
            return -1;
        }
        for (int i = 4; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return -1;
            }
        }
        long n = Long.parseLong(s.substring(4));
        return n > Integer.MAX_VALUE ? -1 : (int) n;
    }

    private LiveSession.Session lookup(Conn c, byte[] syncArg) {
        int n = syncNumber(syncArg);
        if (n < 0) {
            c.replyError(Resp.BAD_SYNC_ID);
            return null;
        }
        LiveSession.Session s = b.sessions.get(n);
        if (s == null) {
            c.replyError(Resp.SYNC_ID_NOT_FOUND);
        }
        return s;
    }

    /** See {@link DflyBackend}. */
    void flow(Conn c, List<byte[]> args) {
        int n = args.size() - 2;
        synchronized (b.lock) {
            if (!Resp.text(args.get(2)).equals(b.masterId)) {
                c.replyError(Resp.BAD_MASTER_ID);
                return;
            }
            if (syncNumber(args.get(3)) < 0) {
                c.replyError(Resp.BAD_SYNC_ID);
                return;
            }
            if (!isInteger(args.get(4))) {
                c.replyError(Resp.NOT_INTEGER);
                return;
            }
            long lsn = -1;
            if (n == 4) {
                if (!isInteger(args.get(5))) {
                    c.replyError(Resp.NOT_INTEGER);
                    return;
                }
                lsn = Commands.number(args.get(5));
            } else if (n == 5) {
                for (String part : Resp.text(args.get(6)).split("-", -1)) {
                    if (!isInteger(part.getBytes(StandardCharsets.US_ASCII))) {
                        c.replyError(Resp.NOT_INTEGER);
                        return;
                    }
                }
                // never a replica of that other master: always FULL
            }
            LiveSession.Session s = lookup(c, args.get(3));
            if (s == null) {
                return;
            }
            long flowId = Commands.number(args.get(4));
            if (flowId < 0 || flowId >= b.cfg.shards()) {
                c.replyError(Resp.NOT_INTEGER);
                return;
            }
            int id = (int) flowId;
            if (s.state != SessionState.PREPARATION || s.flows[id] != null || c.flowOut != null) {
                c.replyError(Resp.INVALID_STATE);
                return;
            }
            ShardJournal j = b.journals[id];
            boolean partial = b.cfg.profile().supportsPartialSync() && lsn >= 0 && j.canServe(lsn);
            j.start();
            String token = Ids.hex40();
            c.reply(Resp.array(Resp.simple(partial ? "PARTIAL" : "FULL"), Resp.simple(token)));
            FlowOutput out = b.bindFlow(c, id, s, s.syncId);
            s.flows[id] = new LiveSession.Flow(id, out, token, partial, lsn);
        }
    }

    /** See {@link DflyBackend}. */
    void sync(Conn c, List<byte[]> args) {
        LiveSession.Flow evicted = null;
        LiveSession.Session s;
        synchronized (b.lock) {
            s = lookup(c, args.get(2));
            if (s == null) {
                return;
            }
            if (s.state != SessionState.PREPARATION || !s.allFlows()) {
                c.replyError(Resp.INVALID_STATE);
                return;
            }
            boolean incremental = b.cfg.profile().incrementalPartialSync();
            for (LiveSession.Flow f : s.flows) {
                if (f.partial && !incremental) { // v1.40 rejects DFLY SYNC after PARTIAL (spec §6.2)
                    c.replyError(Resp.INVALID_STATE);
                    return;
                }
            }
            for (LiveSession.Flow f : s.flows) {
                f.out.enqueue(header(f.id));
                if (f.partial) {
                    List<ShardJournal.Item> items = b.journals[f.id].from(f.requestedLsn);
                    if (items == null) {
                        evicted = f;
                        break;
                    }
                    f.serializer = incrementalStream(f, items);
                } else {
                    f.serializer = new SnapshotSerializer(b.settings, f.out, b.lock, () -> b.paceBytesPerSecond,
                            b.ds.snapshot(b.sharding, f.id));
                }
                f.out.producer(f.serializer);
            }
            s.state = SessionState.FULL_SYNC;
        }
        c.reply(Resp.OK);
        if (evicted != null) {
            // v1.34: the incremental snapshot fiber reports the error after DFLY SYNC answered; the
            // error handler stops the replication session, closing its flows
            LOG.info("Partial sync was unsuccessful because entry #{} was dropped from the buffer (flow {})",
                    evicted.requestedLsn, evicted.id);
            synchronized (b.lock) {
                b.cancel(s);
            }
        }
    }

    /**
     * The incremental stream of a PARTIAL flow (v1.34, {@code SliceSnapshot::SwitchIncrementalFb}):
     * a serializer without keys that first replays the backlog items from the LSN asked for as
     * JOURNAL_BLOBs, then writes FULLSYNC_END; later items arrive as blobs like in a full sync.
     */
    private SnapshotSerializer incrementalStream(LiveSession.Flow f, List<ShardJournal.Item> items) {
        SnapshotSerializer ser = new SnapshotSerializer(b.settings, f.out, b.lock, () -> 0L, new LinkedHashMap<>());
        for (ShardJournal.Item it : items) {
            ser.onJournal(it.bytes(), 0, Set.of(), false);
        }
        return ser;
    }

    /** See {@link DflyBackend}. */
    void startStable(Conn c, List<byte[]> args) {
        synchronized (b.lock) {
            LiveSession.Session s = lookup(c, args.get(2));
            if (s == null) {
                return;
            }
            boolean allPartial = s.allFlows();
            if (allPartial) {
                for (LiveSession.Flow f : s.flows) {
                    allPartial &= f.partial;
                }
            }
            boolean ok = s.state == SessionState.FULL_SYNC
                    || (b.cfg.profile() == ReleaseProfile.V1_40 && s.state == SessionState.PREPARATION && allPartial);
            if (!ok) {
                c.replyError(Resp.INVALID_STATE);
                return;
            }
            for (LiveSession.Flow f : s.flows) {
                if (f.serializer != null) {
                    f.serializer.finish(b.journals[f.id].nextLsn(), f.token);
                    f.out.producer(null);
                } else {
                    List<ShardJournal.Item> items = b.journals[f.id].from(f.requestedLsn);
                    if (items == null) {
                        LOG.info("partial sync of flow {} failed: LSN {} left the backlog", f.id, f.requestedLsn);
                        b.cancel(s);
                        c.replyError("ERR Partial sync was unsuccessful because entry #" + f.requestedLsn
                                + " was dropped from the buffer");
                        return;
                    }
                    for (ShardJournal.Item it : items) {
                        b.sendStable(f, it);
                    }
                }
                f.stable = true;
                f.out.kick();
            }
            s.state = SessionState.STABLE_SYNC;
        }
        c.reply(Resp.OK);
    }

    /** The RDB header and AUX fields of flow {@code flow} (spec §4.3), never compressed. */
    private byte[] header(int flow) {
        return ServerInfo.header(b.plain, b.cfg.profile(), b.cfg.shards(), flow, b.scripts, b.ds.approxBytes());
    }

    private static boolean isInteger(byte[] b) {
        if (b.length == 0 || b.length > 20) {
            return false;
        }
        try {
            Long.parseLong(new String(b, StandardCharsets.US_ASCII));
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
