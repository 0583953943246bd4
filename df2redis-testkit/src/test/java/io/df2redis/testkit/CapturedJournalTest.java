package io.df2redis.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import io.df2redis.protocol.rdb.RdbKeyValue;
import io.df2redis.protocol.rdb.RdbValue;
import io.df2redis.protocol.resp.BulkString;
import io.df2redis.protocol.resp.ErrorReply;
import io.df2redis.protocol.resp.RespReply;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replays the {@code journal-2shards} captures of both releases against the embedded master
 * (same release profile, 2 shards, the same replication phases: baseline writes, writes after
 * FULLSYNC_END and before STARTSTABLE, stable-sync writes) and compares what its flows carry
 * with what the real master's flows carried ({@code decoded.json}), entry by entry: opcode, db,
 * command and arguments, flow, {@code shard_cnt}, which entries share a txid. Then compares the
 * master's keyspace with the capture's {@code expected.json}.
 *
 * <p>Nothing of the dataset is skipped. What cannot match is normalised
 * ({@link CapturedJournal.Comparison}): times the master derived from its clock (compared after
 * the shift between the runs, ±15 s), stream ids generated from the clock, the member a random
 * {@code SPOP} took (the test gives the embedded master's set the captured outcome afterwards,
 * without journaling), and hash-table order of the members a {@code *STORE} wrote. A key set
 * with a short TTL ({@code SET exp:soon v PX 200}) is waited for until the master expired it
 * before the next command, as the capture's pause did; the capture's ~4 s pause before the
 * final writes (only there to show LSN records) is not repeated, and LSN records are not
 * compared.
 */
class CapturedJournalTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @ParameterizedTest(name = "{0}")
    @CsvSource({"v1.40.1,V1_40", "v1.30.3,V1_30"})
    void theJournalIsTheCapturedOneEntryByEntry(String release, ReleaseProfile profile) {
        Path dir = Vectors.dragonfly(release, "journal-2shards");
        CapturedDataset dataset = CapturedDataset.read(dir.resolve("dataset.txt"));
        JsonNode decoded = Vectors.json(dir, "decoded.json");
        List<List<CapturedJournal.Entry>> captured = new ArrayList<>();
        for (JsonNode f : decoded.path("flows")) {
            captured.add(CapturedJournal.entries(f.path("records")));
        }
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().profile(profile).shards(2).start();
             Clients clients = new Clients(m);
             TestReplica r = TestReplica.connect(m)) {
            Replay replay = new Replay(m, clients, captured);
            replay.run(dataset.phase("baseline"));
            r.handshake();
            assertThat(r.openFlows()).containsOnly("FULL");
            r.sync();
            replay.run(dataset.phase("during"));
            r.awaitFullSyncEnd();
            replay.run(dataset.phase("after"));
            r.startStable().awaitJournal();
            replay.run(dataset.phase("stable"));
            for (int i = 0; i < 2; i++) {
                r.awaitLsn(i, m.nextLsn(i));
            }

            long shift = (ctime(records(r.flow(0))) - ctime(decoded.path("flows").get(0).path("records"))) * 1000;
            CapturedJournal.Comparison cmp = new CapturedJournal.Comparison(shift, 15_000);
            cmp.popped.putAll(replay.popped);
            for (int i = 0; i < 2; i++) {
                cmp.flow(i, captured.get(i), CapturedJournal.entries(records(r.flow(i))));
            }
            assertThat(cmp.differences).as("journal differences from the capture").isEmpty();

            List<String> keyspace = ExpectedKeyspace.compare(Vectors.json(dir, "expected.json"), m, cmp);
            assertThat(keyspace).as("keyspace differences from expected.json").isEmpty();
        }
    }

    static JsonNode records(FlowReader f) {
        return Vectors.JSON.valueToTree(f.records());
    }

    /** The AUX ctime (seconds) of a flow's header. */
    static long ctime(JsonNode records) {
        for (JsonNode r : records) {
            if (r.path("op").asText().equals("AUX") && r.path("key").asText().equals("ctime")) {
                return Long.parseLong(r.path("value").path("utf8").asText());
            }
        }
        throw new AssertionError("no ctime AUX field");
    }

    /** The client connections the dataset's commands are sent on (the default one and {@code @name}d ones). */
    static final class Clients implements AutoCloseable {
        private final EmbeddedDragonflyMaster m;
        private final Map<String, RespClient> open = new HashMap<>();

        Clients(EmbeddedDragonflyMaster m) {
            this.m = m;
        }

        RespClient get(String name) {
            return open.computeIfAbsent(name, n -> RespClient.connect(m));
        }

        @Override
        public void close() {
            open.values().forEach(RespClient::close);
        }
    }

    /** Sends dataset commands as a client would, with the two waits/substitutions the capture needs. */
    static final class Replay {
        final EmbeddedDragonflyMaster m;
        final Clients clients;
        final List<List<CapturedJournal.Entry>> captured;
        final Map<String, byte[]> popped = new HashMap<>();
        int db;

        Replay(EmbeddedDragonflyMaster m, Clients clients, List<List<CapturedJournal.Entry>> captured) {
            this.m = m;
            this.clients = clients;
            this.captured = captured;
        }

        void run(List<CapturedDataset.Command> commands) {
            for (CapturedDataset.Command c : commands) {
                RespReply reply = call(clients.get(c.connection()), c.args());
                assertThat(reply).as(c.toString()).isNotInstanceOf(ErrorReply.class);
                switch (c.name()) {
                    case "SELECT" -> db = Integer.parseInt(c.text(1));
                    case "SPOP" -> takeCapturedPop(c, reply);
                    case "SET" -> awaitShortTtl(c);
                    default -> {
                    }
                }
            }
        }

        /**
         * A random SPOP: gives the set the member the real master popped (unjournaled) and
         * records the substitution for the comparison of its SREM entry.
         */
        private void takeCapturedPop(CapturedDataset.Command c, RespReply reply) {
            byte[] key = c.args().get(1);
            int shard = m.shardOf(key);
            int index = (int) m.nextLsn(shard) - 2;
            CapturedJournal.Entry entry = captured.get(shard).get(index);
            assertThat(entry.name()).as("the captured entry of " + c).isIn("SREM", "DEL");
            if (!entry.name().equals("SREM")) {
                return;
            }
            byte[] got = ((BulkString) reply).value();
            byte[] want = entry.args().get(2);
            if (Arrays.equals(got, want)) {
                return;
            }
            assertThat(entry.args()).as("the SREM of " + c).hasSize(3);
            RdbValue.SetValue s = (RdbValue.SetValue) m.get(db, key).orElseThrow().value();
            List<byte[]> members = new ArrayList<>(s.members());
            members.removeIf(x -> Arrays.equals(x, want));
            members.add(got);
            m.put(db, RdbKeyValue.of(key, RdbValue.set(members)));
            popped.put(shard + ":" + index, want);
        }

        /** After a SET with a TTL under 10 s: waits until the master expired the key. */
        private void awaitShortTtl(CapturedDataset.Command c) {
            for (int i = 3; i + 1 < c.args().size(); i++) {
                String o = c.text(i).toUpperCase();
                long ms = o.equals("PX") ? Long.parseLong(c.text(i + 1)) : o.equals("EX") ? Long.parseLong(c.text(i + 1)) * 1000 : -1;
                if (ms >= 0 && ms < 10_000) {
                    long deadline = System.nanoTime() + WAIT.toNanos();
                    while (m.get(db, c.args().get(1)).isPresent()) {
                        assertThat(System.nanoTime()).as("expiry of " + c.text(1)).isLessThan(deadline);
                        pause();
                    }
                }
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static RespReply call(RespClient client, List<byte[]> args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(("*" + args.size() + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] a : args) {
            o.writeBytes(("$" + a.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            o.writeBytes(a);
            o.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        return client.sendRaw(o.toByteArray()).read();
    }
}
