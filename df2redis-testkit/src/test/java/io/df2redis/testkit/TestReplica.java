package io.df2redis.testkit;

import io.df2redis.protocol.resp.ArrayReply;
import io.df2redis.protocol.resp.RespReply;
import io.df2redis.protocol.resp.SimpleString;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A minimal replica written from the spec, driving an {@link EmbeddedDragonflyMaster} in the tests. */
final class TestReplica implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(10);

    final EmbeddedDragonflyMaster master;
    final RespClient main;
    final List<FlowReader> flows = new ArrayList<>();
    String masterId;
    String syncId;
    int numFlows;
    ArrayReply capa;
    private String[] auth = new String[0];
    private final boolean tls;

    private TestReplica(EmbeddedDragonflyMaster master, RespClient main, boolean tls) {
        this.master = master;
        this.main = main;
        this.tls = tls;
    }

    static TestReplica connect(EmbeddedDragonflyMaster m) {
        return new TestReplica(m, RespClient.connect(m), false);
    }

    /** A replica whose connections use TLS. */
    static TestReplica connectTls(EmbeddedDragonflyMaster m) {
        return new TestReplica(m, RespClient.connectTls(m), true);
    }

    /** Sends {@code AUTH args} on the main connection now and on every flow connection later. */
    TestReplica auth(String... args) {
        this.auth = args;
        assertThat(str(main.call(authCmd()))).isEqualTo("OK");
        return this;
    }

    private String[] authCmd() {
        String[] c = new String[auth.length + 1];
        c[0] = "AUTH";
        System.arraycopy(auth, 0, c, 1, auth.length);
        return c;
    }

    /** PING, REPLCONF listening-port / capa eof capa psync2 / capa dragonfly / CLIENT-ID / CLIENT-VERSION. */
    TestReplica handshake() {
        assertThat(str(main.call("PING"))).isEqualTo("PONG");
        assertThat(str(main.call("REPLCONF", "listening-port", "16380"))).isEqualTo("OK");
        assertThat(str(main.call("REPLCONF", "capa", "eof", "capa", "psync2"))).isEqualTo("OK");
        RespReply r = main.call("REPLCONF", "capa", "dragonfly");
        assertThat(r).isInstanceOf(ArrayReply.class);
        capa = (ArrayReply) r;
        masterId = str(capa.get(0));
        syncId = str(capa.get(1));
        numFlows = (int) ((io.df2redis.protocol.resp.IntegerReply) capa.get(2)).value();
        assertThat(str(main.call("REPLCONF", "CLIENT-ID", "test-replica"))).isEqualTo("OK");
        assertThat(str(main.call("REPLCONF", "CLIENT-VERSION", "4"))).isEqualTo("OK");
        return this;
    }

    /** Opens every flow with {@code DFLY FLOW} (optionally with per-flow LSNs) and returns the replies' kinds. */
    List<String> openFlows(long... lsns) {
        List<String> kinds = new ArrayList<>();
        for (int i = 0; i < numFlows; i++) {
            RespClient c = tls ? RespClient.connectTls(master) : RespClient.connect(master);
            if (auth.length > 0) {
                assertThat(str(c.call(authCmd()))).isEqualTo("OK");
            }
            RespReply r = lsns.length > 0
                    ? c.call("DFLY", "FLOW", masterId, syncId, Integer.toString(i), Long.toString(lsns[i]))
                    : c.call("DFLY", "FLOW", masterId, syncId, Integer.toString(i));
            assertThat(r).as("FLOW reply").isInstanceOf(ArrayReply.class);
            ArrayReply a = (ArrayReply) r;
            String kind = str(a.get(0));
            String token = str(a.get(1));
            assertThat(token).matches("[0-9a-f]{40}");
            boolean incremental = kind.equals("PARTIAL") && master.profile().incrementalPartialSync();
            // v1.34: a PARTIAL flow carries an RDB-framed incremental stream after DFLY SYNC
            FlowReader f = new FlowReader(i, c, incremental ? "INCREMENTAL" : kind, token);
            if (kind.equals("PARTIAL") && !incremental) {
                f.partialFrom(lsns[i]);
            }
            flows.add(f);
            kinds.add(kind);
        }
        return kinds;
    }

    TestReplica sync() {
        assertThat(str(main.call("DFLY", "SYNC", syncId))).isEqualTo("OK");
        return this;
    }

    TestReplica awaitFullSyncEnd() {
        for (FlowReader f : flows) {
            f.readUntil(FlowReader::fullSyncEndSeen, WAIT);
        }
        return this;
    }

    TestReplica startStable() {
        assertThat(str(main.call("DFLY", "STARTSTABLE", syncId))).isEqualTo("OK");
        return this;
    }

    /** Reads every FULL flow up to the start of its journal (after the eof token). */
    TestReplica awaitJournal() {
        for (FlowReader f : flows) {
            if (!f.kind.equals("PARTIAL")) {
                f.readUntil(FlowReader::inJournal, WAIT);
            }
        }
        return this;
    }

    /** Full handshake, FULL flows, SYNC, FULLSYNC_END on all, STARTSTABLE, up to the journal. */
    TestReplica fullSync() {
        handshake();
        assertThat(openFlows()).allMatch("FULL"::equals);
        return sync().awaitFullSyncEnd().startStable().awaitJournal();
    }

    FlowReader flow(int i) {
        return flows.get(i);
    }

    /** Reads flow {@code i} until its journal counter reaches {@code nextLsn}. */
    FlowReader awaitLsn(int i, long nextLsn) {
        return flows.get(i).readUntil(f -> f.nextLsn() >= nextLsn, WAIT);
    }

    void ack(int i, long lsn) {
        flows.get(i).conn.send("REPLCONF", "ACK", Long.toString(lsn));
    }

    static String str(RespReply r) {
        if (r instanceof SimpleString s) {
            return s.value();
        }
        if (r instanceof io.df2redis.protocol.resp.ErrorReply e) {
            return "-" + e.message();
        }
        if (r instanceof io.df2redis.protocol.resp.BulkString b) {
            return b.asString();
        }
        if (r instanceof io.df2redis.protocol.resp.IntegerReply i) {
            return Long.toString(i.value());
        }
        return String.valueOf(r);
    }

    @Override
    public void close() {
        for (FlowReader f : flows) {
            f.close();
        }
        main.close();
    }
}
