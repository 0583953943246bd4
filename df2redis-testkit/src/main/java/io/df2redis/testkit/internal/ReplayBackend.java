package io.df2redis.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.df2redis.protocol.rdb.Compression;
import io.df2redis.protocol.rdb.RdbDecoder;
import io.df2redis.protocol.rdb.RdbHandler;
import io.df2redis.testkit.ReleaseProfile;
import io.df2redis.testkit.SessionState;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Serves a captured case of the shared test vectors verbatim: the handshake replies of
 * {@code handshake.json} and the bytes of {@code flow-<i>.bin}, split at the JOURNAL_OFFSET
 * record (or at the compressed blob holding it) into what {@code DFLY SYNC} and what
 * {@code DFLY STARTSTABLE} releases. A case with {@code session-<n>/} sub-directories serves one
 * session per {@code REPLCONF capa dragonfly}.
 *
 * <p><b>Why one class:</b> over 400 lines: the replay of a captured case is one state machine per session
 * (handshake answers, flow bytes, the stable-sync tail) over the case's files.
 */
public final class ReplayBackend extends DflyBackend {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One captured flow. */
    record CapturedFlow(int id, boolean partial, String token, byte[] bytes, int split, byte[] flowReply) {
    }

    /** One captured session (a handshake.json with its flows). */
    static final class Captured {
        String masterId;
        String syncId;
        String version;
        int numFlows;
        List<JsonNode> commands = new ArrayList<>();
        Map<String, String> info = new LinkedHashMap<>();
        CapturedFlow[] flows;
        long[] replicaOffsets;
    }

    /** A session being served. */
    final class Session {
        final Captured cap;
        final Conn[] flowConns;
        SessionState state = SessionState.PREPARATION;

        Session(Captured cap) {
            this.cap = cap;
            this.flowConns = new Conn[cap.numFlows];
        }
    }

    private final List<Captured> captured;
    private final List<Session> sessions = new ArrayList<>();
    private int capaCount;

    private ReplayBackend(MasterServer server, List<Captured> captured) {
        super(server);
        this.captured = captured;
    }

    /** Reads a case (or a session directory of one). */
    public static ReplayBackend load(MasterServer server, Path dir) throws IOException {
        List<Path> dirs = new ArrayList<>();
        if (Files.isRegularFile(dir.resolve("handshake.json"))) {
            dirs.add(dir);
        } else {
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(p -> p.getFileName().toString().matches("session-\\d+")
                                && Files.isRegularFile(p.resolve("handshake.json")))
                        .sorted(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString().substring(8))))
                        .forEach(dirs::add);
            }
        }
        if (dirs.isEmpty()) {
            throw new IOException("no handshake.json in " + dir + " or its session-<n> directories");
        }
        List<Captured> caps = new ArrayList<>();
        for (Path d : dirs) {
            caps.add(read(d));
        }
        return new ReplayBackend(server, caps);
    }

    private static Captured read(Path dir) throws IOException {
        JsonNode h = JSON.readTree(readMaybeGz(dir.resolve("handshake.json")));
        Captured c = new Captured();
        c.masterId = h.path("master_id").asText();
        c.syncId = h.path("sync_id").asText();
        c.version = h.path("dragonfly_version").asText(h.path("info_server").path("dragonfly_version").asText());
        c.numFlows = h.path("num_flows").asInt();
        h.path("commands").forEach(c.commands::add);
        h.path("info_server").fields().forEachRemaining(e -> c.info.put(e.getKey(), e.getValue().asText()));
        c.flows = new CapturedFlow[c.numFlows];
        for (JsonNode f : h.path("flows")) {
            int id = f.path("flow").asInt();
            boolean partial = "PARTIAL".equals(f.path("kind").asText());
            byte[] bytes = Files.readAllBytes(dir.resolve(f.path("file").asText("flow-" + id + ".bin")));
            int split = partial ? 0 : splitPoint(bytes);
            byte[] reply = null;
            for (JsonNode cmd : c.commands) {
                if (cmd.path("conn").asText().equals("flow-" + id)) {
                    reply = raw(cmd);
                }
            }
            c.flows[id] = new CapturedFlow(id, partial, f.path("eof_token").asText(), bytes, split, reply);
        }
        JsonNode offs = h.path("replica_offset_at_end");
        c.replicaOffsets = new long[offs.size()];
        for (int i = 0; i < offs.size(); i++) {
            c.replicaOffsets[i] = offs.get(i).asLong();
        }
        return c;
    }

    private static byte[] readMaybeGz(Path p) throws IOException {
        if (Files.isRegularFile(p)) {
            return Files.readAllBytes(p);
        }
        try (InputStream in = new GZIPInputStream(Files.newInputStream(p.resolveSibling(p.getFileName() + ".gz")))) {
            return in.readAllBytes();
        }
    }

    private static byte[] raw(JsonNode cmd) {
        return cmd.path("reply_raw").asText().getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * The offset where the bytes released at STARTSTABLE start: the JOURNAL_OFFSET record, or the
     * compressed blob containing it (found with the protocol decoder). Without one, the whole
     * capture is released at SYNC.
     */
    public static int splitPoint(byte[] flow) {
        final class Finder implements RdbHandler {
            RdbDecoder decoder;
            long blobStart = -1;
            long split = -1;

            @Override
            public void onCompressedBlobStart(Compression c, int clen, int ulen) {
                blobStart = decoder.recordOffset();
            }

            @Override
            public void onCompressedBlobEnd(Compression c) {
                blobStart = -1;
            }

            @Override
            public void onJournalOffset(long nextLsn) {
                if (split < 0) {
                    split = blobStart >= 0 ? blobStart : decoder.recordOffset();
                }
            }
        }
        Finder f = new Finder();
        f.decoder = RdbDecoder.forFlow(f);
        try {
            f.decoder.feed(flow, 0, flow.length);
        } catch (RuntimeException e) {
            if (f.split < 0) {
                throw new IllegalArgumentException("cannot decode capture to find JOURNAL_OFFSET: " + e.getMessage(), e);
            }
        }
        return f.split < 0 ? flow.length : (int) f.split;
    }

    public ReleaseProfile profile() {
        return captured.get(0).version.startsWith("df-v1.30") ? ReleaseProfile.V1_30 : ReleaseProfile.V1_40;
    }

    public int flowCount() {
        return captured.get(0).numFlows;
    }

    public String masterId() {
        return captured.get(Math.min(capaCount, captured.size() - 1)).masterId;
    }

    public SessionState sessionState() {
        synchronized (lock) {
            return sessions.isEmpty() ? null : sessions.get(sessions.size() - 1).state;
        }
    }

    public FlowOutput flowOutput(int flow) {
        synchronized (lock) {
            for (int i = sessions.size() - 1; i >= 0; i--) {
                Conn c = sessions.get(i).flowConns.length > flow ? sessions.get(i).flowConns[flow] : null;
                if (c != null) {
                    return c.flowOut;
                }
            }
            return null;
        }
    }

    // ------------------------------------------------------------------ commands

    @Override
    protected String info(String section) {
        StringBuilder sb = new StringBuilder("# Server\r\n");
        for (Map.Entry<String, String> e : captured.get(0).info.entrySet()) {
            sb.append(e.getKey()).append(':').append(e.getValue()).append("\r\n");
        }
        return sb.toString();
    }

    @Override
    protected void replconf(Conn c, List<byte[]> args) {
        if (args.size() < 3 || (args.size() - 1) % 2 != 0) {
            c.replyError(args.size() < 2 ? "ERR wrong number of arguments for 'replconf' command" : Resp.SYNTAX);
            return;
        }
        String key = Resp.text(args.get(1)).toLowerCase(Locale.ROOT);
        if (key.equals("ack") && args.size() == 3) {
            if (c.flowId >= 0) {
                try {
                    server.acks().record(c.flowId, Commands.number(args.get(2)));
                } catch (IllegalArgumentException e) {
                    c.replyError(Resp.SYNTAX);
                }
            }
            return;
        }
        if (key.equals("capa") && args.size() == 3 && Resp.text(args.get(2)).equals("dragonfly")) {
            if (server.pretendRedis()) {
                c.reply(Resp.OK);
                return;
            }
            Captured cap;
            synchronized (lock) {
                cap = captured.get(Math.min(capaCount++, captured.size() - 1));
                Session s = new Session(cap);
                sessions.add(s);
                c.session = s;
                c.ownedSessions.add(s);
                c.syncId = cap.syncId;
            }
            c.reply(capturedReply(cap, "REPLCONF", "capa", "dragonfly"));
            return;
        }
        Captured cap = current(c);
        byte[] reply = null;
        for (JsonNode cmd : cap.commands) {
            JsonNode a = cmd.path("cmd");
            if (a.size() >= 2 && a.get(0).asText().equalsIgnoreCase("REPLCONF")
                    && a.get(1).asText().equalsIgnoreCase(key)) {
                reply = raw(cmd);
                break;
            }
        }
        c.reply(reply != null ? reply : Resp.OK);
    }

    private Captured current(Conn c) {
        synchronized (lock) {
            if (c.session != null) {
                return ((Session) c.session).cap;
            }
            return captured.get(Math.min(capaCount, captured.size() - 1));
        }
    }

    private static byte[] capturedReply(Captured cap, String... prefix) {
        for (JsonNode cmd : cap.commands) {
            JsonNode a = cmd.path("cmd");
            boolean match = a.size() >= prefix.length;
            for (int i = 0; match && i < prefix.length; i++) {
                match = a.get(i).asText().equalsIgnoreCase(prefix[i]);
            }
            if (match) {
                return raw(cmd);
            }
        }
        return null;
    }

    @Override
    protected long[] replicaOffsets(Conn c) {
        return current(c).replicaOffsets.clone();
    }

    private Session find(Conn c, byte[] syncArg) {
        String s = Resp.text(syncArg);
        if (LiveSyncCommands.syncNumber(syncArg) < 0) {
            c.replyError(Resp.BAD_SYNC_ID);
            return null;
        }
        for (int i = sessions.size() - 1; i >= 0; i--) {
            Session x = sessions.get(i);
            if (x.cap.syncId.equals(s) && x.state != SessionState.CANCELLED) {
                return x;
            }
        }
        c.replyError(Resp.SYNC_ID_NOT_FOUND);
        return null;
    }

    @Override
    protected void flow(Conn c, List<byte[]> args) {
        synchronized (lock) {
            String mid = Resp.text(args.get(2));
            boolean known = sessions.stream().anyMatch(s -> s.cap.masterId.equals(mid));
            if (!known) {
                c.replyError(Resp.BAD_MASTER_ID);
                return;
            }
            Session s = find(c, args.get(3));
            if (s == null) {
                return;
            }
            int id;
            try {
                id = (int) Commands.number(args.get(4));
            } catch (IllegalArgumentException e) {
                c.replyError(Resp.NOT_INTEGER);
                return;
            }
            if (id < 0 || id >= s.cap.numFlows || s.cap.flows[id] == null) {
                c.replyError(Resp.NOT_INTEGER);
                return;
            }
            if (s.state != SessionState.PREPARATION || s.flowConns[id] != null) {
                c.replyError(Resp.INVALID_STATE);
                return;
            }
            c.reply(s.cap.flows[id].flowReply());
            s.flowConns[id] = c;
            bindFlow(c, id, s, s.cap.syncId);
        }
    }

    @Override
    protected void sync(Conn c, List<byte[]> args) {
        synchronized (lock) {
            Session s = find(c, args.get(2));
            if (s == null) {
                return;
            }
            boolean anyPartial = Arrays.stream(s.cap.flows).anyMatch(CapturedFlow::partial);
            if (s.state != SessionState.PREPARATION || anyPartial) {
                c.replyError(Resp.INVALID_STATE);
                return;
            }
            for (int i = 0; i < s.flowConns.length; i++) {
                if (s.flowConns[i] != null) {
                    CapturedFlow f = s.cap.flows[i];
                    s.flowConns[i].flowOut.enqueue(Arrays.copyOfRange(f.bytes(), 0, f.split()));
                }
            }
            s.state = SessionState.FULL_SYNC;
        }
        byte[] r = capturedReply(current(c), "DFLY", "SYNC");
        c.reply(r != null ? r : Resp.OK);
    }

    @Override
    protected void startStable(Conn c, List<byte[]> args) {
        synchronized (lock) {
            Session s = find(c, args.get(2));
            if (s == null) {
                return;
            }
            boolean allPartial = Arrays.stream(s.cap.flows).allMatch(CapturedFlow::partial);
            if (!(s.state == SessionState.FULL_SYNC || (s.state == SessionState.PREPARATION && allPartial))) {
                c.replyError(Resp.INVALID_STATE);
                return;
            }
            for (int i = 0; i < s.flowConns.length; i++) {
                if (s.flowConns[i] != null) {
                    CapturedFlow f = s.cap.flows[i];
                    s.flowConns[i].flowOut.enqueue(Arrays.copyOfRange(f.bytes(), f.split(), f.bytes().length));
                }
            }
            s.state = SessionState.STABLE_SYNC;
        }
        byte[] r = capturedReply(current(c), "DFLY", "STARTSTABLE");
        c.reply(r != null ? r : Resp.OK);
    }

    @Override
    public void onClose(Conn c) {
        synchronized (lock) {
            List<Session> affected = new ArrayList<>();
            for (Object o : c.ownedSessions) {
                affected.add((Session) o);
            }
            if (c.flowSession != null) {
                affected.add((Session) c.flowSession);
            }
            for (Session s : affected) {
                if (s.state == SessionState.CANCELLED) {
                    continue;
                }
                s.state = SessionState.CANCELLED;
                for (Conn f : s.flowConns) {
                    if (f != null && f.flowOut != null) {
                        f.flowOut.close();
                    }
                }
            }
        }
    }
}
