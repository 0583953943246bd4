package io.df2redis.testkit;

import io.df2redis.protocol.resp.ArrayReply;
import io.df2redis.protocol.resp.BulkString;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.net.ssl.KeyManagerFactory;
import java.io.InputStream;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;

import static io.df2redis.testkit.TestReplica.str;
import static org.assertj.core.api.Assertions.assertThat;

/** Handshake rules of the real master (spec §1.1, §2A, §3), AUTH/ACL, TLS and the handshake fault hooks. */
class HandshakeTest {

    @ParameterizedTest
    @EnumSource(value = ReleaseProfile.class, names = {"V1_30", "V1_40"}) // the captured releases
    void capaReplyAndInfoPerProfile(ReleaseProfile profile) {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().profile(profile).shards(3).start();
             RespClient c = RespClient.connect(m)) {
            assertThat(c.sendInline("PING").readRaw()).isEqualTo("+PONG\r\n");
            assertThat(c.send("REPLCONF", "listening-port", "6380").readRaw()).isEqualTo("+OK\r\n");
            assertThat(c.send("REPLCONF", "capa", "eof", "capa", "psync2").readRaw()).isEqualTo("+OK\r\n");
            String id = m.masterId();
            assertThat(id).matches("[0-9a-f]{40}");
            String expected = profile == ReleaseProfile.V1_40
                    ? "*5\r\n+" + id + "\r\n+SYNC1\r\n:3\r\n:5\r\n+" + id + "\r\n"
                    : "*4\r\n+" + id + "\r\n+SYNC1\r\n:3\r\n:4\r\n";
            assertThat(c.send("REPLCONF", "capa", "dragonfly").readRaw()).isEqualTo(expected);
            assertThat(m.sessionState()).isEqualTo(SessionState.PREPARATION);
            assertThat(c.sendInline("REPLCONF CLIENT-ID replica-1").readRaw()).isEqualTo("+OK\r\n");
            assertThat(c.send("REPLCONF", "CLIENT-VERSION", "4").readRaw()).isEqualTo("+OK\r\n");
            assertThat(((ArrayReply) c.call("REPLCONF", "capa", "dragonfly")).get(1).toString()).contains("SYNC2");
            String info = ((BulkString) c.call("INFO", "SERVER")).asString();
            assertThat(info).contains("dragonfly_version:" + profile.dragonflyVersion() + "\r\n")
                    .contains("dragonfly_version:df-v1." + (profile == ReleaseProfile.V1_30 ? "30.3" : "40.1"));
        }
    }

    @Test
    void replconfRules() {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().start();
             RespClient c = RespClient.connect(m)) {
            assertThat(str(c.call("REPLCONF", "listening-port", "abc"))).isEqualTo("-ERR value is not an integer or out of range");
            assertThat(str(c.call("REPLCONF", "capa"))).isEqualTo("-ERR syntax error");
            assertThat(str(c.call("REPLCONF", "foo", "bar"))).isEqualTo("-ERR syntax error");
            assertThat(str(c.call("REPLCONF", "CLIENT-ID", "x"))).startsWith("-ERR");
            assertThat(str(c.call("REPLCONF", "CAPA", "DRAGONFLY"))).isEqualTo("OK");
            assertThat(str(c.call("REPLCONF", "capa", "eof", "capa", "dragonfly"))).isEqualTo("OK");
            assertThat(m.sessionState()).isNull();
            assertThat(c.call("REPLCONF", "CAPA", "dragonfly")).isInstanceOf(ArrayReply.class);
            assertThat(str(c.call("REPLCONF", "CLIENT-ID", "x", "capa", "eof"))).isEqualTo("-ERR syntax error");
            assertThat(str(c.call("REPLCONF", "CLIENT-VERSION", "four"))).isEqualTo("-ERR value is not an integer or out of range");
            assertThat(str(c.call("REPLCONF", "CLIENT-VERSION", "4"))).isEqualTo("OK");
            // ACK on the main connection: silently ignored, no reply
            c.send("REPLCONF", "ACK", "5");
            assertThat(str(c.call("PING"))).isEqualTo("PONG");
            assertThat(str(c.call("PSYNC", "?", "-1"))).isEqualTo("-ERR unknown command `PSYNC`");
            assertThat(m.connections().get(0).commands()).contains(List.of("REPLCONF", "ACK", "5"));
        }
    }

    @ParameterizedTest
    @EnumSource(value = ReleaseProfile.class, names = {"V1_30", "V1_40"}) // the captured releases
    void dflyValidationAndStateMachine(ReleaseProfile profile) {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().profile(profile).start();
             TestReplica r = TestReplica.connect(m)) {
            r.handshake();
            RespClient c = r.main;
            String id = r.masterId;
            assertThat(str(c.call("DFLY", "FLOW", "0".repeat(40), "SYNC1", "0"))).isEqualTo("-ERR bad master id");
            assertThat(str(c.call("DFLY", "FLOW", id, "FOO1", "0"))).isEqualTo("-ERR bad sync id");
            assertThat(str(c.call("DFLY", "FLOW", id, "SYNC9", "0"))).isEqualTo("-ERR syncid not found");
            assertThat(str(c.call("DFLY", "FLOW", id, "SYNC1", "x"))).isEqualTo("-ERR value is not an integer or out of range");
            assertThat(str(c.call("DFLY", "FLOW", id, "SYNC1", "1"))).isEqualTo("-ERR value is not an integer or out of range");
            assertThat(str(c.call("DFLY", "FLOW", id, "SYNC1", "0", "lsn"))).isEqualTo("-ERR value is not an integer or out of range");
            assertThat(str(c.call("DFLY", "FLOW", id, "SYNC1"))).isEqualTo("-ERR syntax error");
            assertThat(str(c.call("DFLY", "FLOW", id, "SYNC1", "0", "1", "2", "3"))).isEqualTo("-ERR syntax error");
            assertThat(str(c.call("DFLY", "SYNC", "SYNC1"))).isEqualTo("-ERR invalid state");
            assertThat(str(c.call("DFLY", "STARTSTABLE", "SYNC1"))).isEqualTo("-ERR invalid state");
            assertThat(str(c.call("DFLY", "SYNC", "SYNC2"))).isEqualTo("-ERR syncid not found");
            assertThat(str(c.call("DFLY", "BOGUS"))).startsWith("-ERR Unknown subcommand");
            assertThat(r.openFlows()).containsExactly("FULL");
            assertThat(str(c.call("DFLY", "SYNC", "SYNC1"))).isEqualTo("OK");
            assertThat(m.sessionState()).isEqualTo(SessionState.FULL_SYNC);
            assertThat(str(c.call("DFLY", "SYNC", "SYNC1"))).isEqualTo("-ERR invalid state");
            try (RespClient late = RespClient.connect(m)) {
                assertThat(str(late.call("DFLY", "FLOW", id, "SYNC1", "0"))).isEqualTo("-ERR invalid state");
            }
            r.awaitFullSyncEnd().startStable().awaitJournal();
            assertThat(m.sessionState()).isEqualTo(SessionState.STABLE_SYNC);
            assertThat(str(c.call("DFLY", "STARTSTABLE", "SYNC1"))).isEqualTo("-ERR invalid state");
            assertThat(m.connections()).filteredOn(x -> x.flowId() == 0).singleElement()
                    .satisfies(x -> assertThat(x.syncId()).isEqualTo("SYNC1"));
        }
    }

    @Test
    void requirePass() {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().requirePass("secret").shards(2).start()) {
            try (RespClient c = RespClient.connect(m)) {
                assertThat(str(c.call("PING"))).isEqualTo("-NOAUTH Authentication required.");
                assertThat(str(c.call("REPLCONF", "capa", "dragonfly"))).isEqualTo("-NOAUTH Authentication required.");
                assertThat(str(c.call("AUTH", "wrong"))).isEqualTo("-WRONGPASS invalid username-password pair or user is disabled.");
                assertThat(str(c.call("AUTH", "secret"))).isEqualTo("OK");
                assertThat(str(c.call("PING"))).isEqualTo("PONG");
            }
            m.put(io.df2redis.protocol.rdb.RdbKeyValue.of("k", io.df2redis.protocol.rdb.RdbValue.string("v")));
            try (TestReplica r = TestReplica.connect(m)) {
                r.auth("secret").fullSync();
                assertThat(r.flows.stream().mapToLong(f -> f.entries().size()).sum()).isEqualTo(1);
            }
            try (TestReplica r = TestReplica.connect(m)) {
                r.auth("default", "secret").handshake();
                try (RespClient flow = RespClient.connect(m)) {
                    assertThat(str(flow.call("DFLY", "FLOW", r.masterId, r.syncId, "0")))
                            .isEqualTo("-NOAUTH Authentication required.");
                }
            }
        }
    }

    @Test
    void aclUser() {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().aclUser("repl", "pw").start()) {
            try (RespClient c = RespClient.connect(m)) {
                assertThat(str(c.call("PING"))).isEqualTo("-NOAUTH Authentication required.");
                assertThat(str(c.call("AUTH", "repl", "bad"))).isEqualTo("-WRONGPASS invalid username-password pair or user is disabled.");
                assertThat(str(c.call("AUTH", "other", "pw"))).isEqualTo("-WRONGPASS invalid username-password pair or user is disabled.");
                assertThat(str(c.call("AUTH", "pw"))).isEqualTo("-WRONGPASS invalid username-password pair or user is disabled.");
                assertThat(str(c.call("AUTH", "a", "b", "c"))).isEqualTo("-ERR wrong number of arguments for 'auth' command");
                assertThat(str(c.call("AUTH", "repl", "pw"))).isEqualTo("OK");
            }
            try (TestReplica r = TestReplica.connect(m)) {
                r.auth("repl", "pw").fullSync();
                assertThat(m.sessionState()).isEqualTo(SessionState.STABLE_SYNC);
            }
        }
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().start(); RespClient c = RespClient.connect(m)) {
            assertThat(str(c.call("AUTH", "x"))).startsWith("-ERR AUTH <password> called without any password configured");
        }
    }

    @Test
    void loadingAndRedisLookalikeHooks() {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().start();
             TestReplica r = TestReplica.connect(m)) {
            m.replyLoading(2);
            r.handshake(); // REPLCONF is allowed while loading
            assertThat(str(r.main.call("DFLY", "FLOW", r.masterId, r.syncId, "0")))
                    .isEqualTo("-LOADING Dragonfly is loading the dataset in memory");
            assertThat(str(r.main.call("DFLY", "REPLICAOFFSET")))
                    .isEqualTo("-LOADING Dragonfly is loading the dataset in memory");
            assertThat(r.main.call("DFLY", "REPLICAOFFSET")).isInstanceOf(ArrayReply.class);
            m.pretendRedis(true);
            assertThat(str(r.main.call("REPLCONF", "capa", "dragonfly"))).isEqualTo("OK");
            m.pretendRedis(false);
            assertThat(r.main.call("REPLCONF", "capa", "dragonfly")).isInstanceOf(ArrayReply.class);
        }
    }

    @Test
    void closingAnyConnectionOfASessionCancelsIt() {
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).start()) {
            TestReplica r = TestReplica.connect(m);
            r.fullSync();
            r.main.close();
            assertThat(r.flow(0).conn.closedWithin(Duration.ofSeconds(5))).isTrue();
            assertThat(r.flow(1).conn.closedWithin(Duration.ofSeconds(5))).isTrue();
            assertThat(m.sessionState()).isEqualTo(SessionState.CANCELLED);
            r.close();

            TestReplica r2 = TestReplica.connect(m);
            r2.handshake();
            r2.openFlows();
            r2.flow(1).close();
            assertThat(r2.flow(0).conn.closedWithin(Duration.ofSeconds(5))).isTrue();
            assertThat(m.sessionState()).isEqualTo(SessionState.CANCELLED);
            // the main connection stays open, the session is gone
            assertThat(str(r2.main.call("DFLY", "SYNC", r2.syncId))).isEqualTo("-ERR syncid not found");
            r2.close();
        }
    }

    @Test
    void tls() throws Exception {
        // a self-signed EC key pair (CN=localhost, valid 100 years), made with keytool
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = HandshakeTest.class.getResourceAsStream("/tls-server.p12")) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, "changeit".toCharArray());
        SslContext ssl = SslContextBuilder.forServer(kmf).build();
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().sslContext(ssl).requirePass("pw").start();
             TestReplica r = TestReplica.connectTls(m)) {
            m.write("SET", "k", "v");
            r.auth("pw").fullSync();
            m.write("SET", "k", "v2");
            r.awaitLsn(0, 2);
            assertThat(r.flow(0).entries()).hasSize(1);
        }
    }
}
