package io.df2redis.replica;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.df2redis.protocol.rdb.EntrySummary;
import io.df2redis.protocol.rdb.RdbEntry;
import io.df2redis.protocol.rdb.ValueBatch;
import io.df2redis.testkit.CapturedCases;
import io.df2redis.testkit.EmbeddedDragonflyMaster;
import io.df2redis.tools.inspect.FlowRecorder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every real Dragonfly capture, replayed verbatim by a master, runs through the whole
 * replicator: the events its listener receives equal the capture's decoded.json (every key
 * with its value, every journal command in flow order) and its ACKs reach the LSN the
 * capture ended at.
 */
class CapturedCaseReplicationIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Path vectors() {
        return CapturedCases.vectorsRoot();
    }

    static Stream<Arguments> cases() {
        List<Path> cases = CapturedCases.fullSyncCases();
        assertThat(cases).hasSizeGreaterThanOrEqualTo(10);
        return cases.stream().map(dir -> Arguments.of(CapturedCases.name(dir), dir));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void listenerSeesExactlyTheCapturedStream(String name, Path dir) throws Exception {
        JsonNode handshake = JSON.readTree(dir.resolve("handshake.json").toFile());
        try (EmbeddedDragonflyMaster master = EmbeddedDragonflyMaster.replay(dir)) {
            int flows = handshake.get("num_flows").asInt();
            Map<Integer, FlowRecorder> recorders = new ConcurrentHashMap<>();
            Map<Integer, List<String>> journal = new ConcurrentHashMap<>();
            List<String> globals = new CopyOnWriteArrayList<>();
            for (int i = 0; i < flows; i++) {
                recorders.put(i, new FlowRecorder(Long.MAX_VALUE, false));
                journal.put(i, new CopyOnWriteArrayList<>());
            }
            try (Replicator r = Replicator.builder().source(master.host(), master.port())
                    .listener(new ReplicationListener() {
                        @Override
                        public void onEntryStart(int flow, RdbEntry entry) {
                            recorders.get(flow).onEntryStart(entry);
                        }

                        @Override
                        public void onValueBatch(int flow, RdbEntry entry, ValueBatch batch) {
                            recorders.get(flow).onValueBatch(entry, batch);
                        }

                        @Override
                        public void onEntryEnd(int flow, RdbEntry entry, EntrySummary summary) {
                            recorders.get(flow).onEntryEnd(entry, summary);
                        }

                        @Override
                        public void onJournalEntry(JournalEvent e) {
                            if (e.isGlobalCommand()) {
                                globals.add(e.command() + " txid " + e.txid());
                                return;
                            }
                            journal.get(e.flow()).add(describe(e.fullSync(), e.lsn(), e.entry().op().name(),
                                    e.entry().argsAsStrings()));
                        }
                    }).build()) {
                r.start();
                assertThat(r.awaitStableSync(Duration.ofSeconds(60))).as("stable sync").isTrue();
                assertThat(r.masterInfo().masterId()).isEqualTo(handshake.get("master_id").asText());
                JsonNode decoded = JSON.readTree(read(dir, "decoded.json"));
                // a global command is journaled on every flow but delivered once, after all flows reached it
                java.util.Set<String> expectedGlobals = new java.util.TreeSet<>();
                for (JsonNode f : decoded.get("flows")) {
                    collectGlobals(f.get("records"), expectedGlobals);
                }
                for (int i = 0; i < flows; i++) {
                    long target = handshake.get("flows").get(i).get("next_lsn_at_close").asLong();
                    assertThat(master.awaitAck(i, target, Duration.ofSeconds(30)))
                            .as("flow " + i + " ACK " + target + ", got " + master.acks(i)).isTrue();
                    assertThat(r.stats().flows().get(i).appliedLsn()).isEqualTo(target);
                    JsonNode ref = decoded.get("flows").get(i).get("records");
                    compareEntries(name + " flow " + i, ref, recorders.get(i).records());
                    assertThat(journal.get(i)).as(name + " flow " + i + " journal").isEqualTo(expectedJournal(ref));
                }
                assertThat(globals).as("global commands, once each").containsExactlyInAnyOrderElementsOf(expectedGlobals);
            }
        }
    }

    private static String describe(boolean fullSync, long lsn, String op, List<String> args) {
        return (fullSync ? "blob " : "lsn " + lsn + " ") + op + " " + args;
    }

    private static List<String> expectedJournal(JsonNode records) {
        List<String> out = new ArrayList<>();
        for (JsonNode r : records) {
            String op = r.get("op").asText();
            if (r.has("records")) {
                out.addAll(expectedJournal(r.get("records")));
            } else if (op.equals("JOURNAL_BLOB")) {
                for (JsonNode e : r.get("entries")) {
                    String eop = e.get("op").asText();
                    if (eop.equals("COMMAND") || eop.equals("EXPIRED")) {
                        out.add(describe(true, 0, eop, args(e)));
                    }
                }
            } else if (op.equals("COMMAND") || op.equals("EXPIRED") || op.equals("PING")) {
                if (!isGlobal(r)) {
                    out.add(describe(false, r.get("lsn_assigned").asLong(), op, args(r)));
                }
            }
        }
        return out;
    }

    private static boolean isGlobal(JsonNode r) {
        List<String> a = args(r);
        return !a.isEmpty() && (a.get(0).equalsIgnoreCase("FLUSHDB") || a.get(0).equalsIgnoreCase("FLUSHALL"));
    }

    private static void collectGlobals(JsonNode records, java.util.Set<String> out) {
        for (JsonNode r : records) {
            if (r.has("lsn_assigned") && isGlobal(r)) {
                out.add(args(r).get(0).toUpperCase() + " txid " + r.get("txid").asLong());
            }
        }
    }

    private static List<String> args(JsonNode e) {
        List<String> a = new ArrayList<>();
        if (e.has("args")) {
            for (JsonNode x : e.get("args")) {
                a.add(x.has("utf8") ? x.get("utf8").asText()
                        : new String(java.util.Base64.getDecoder().decode(x.get("b64").asText()),
                                java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return a;
    }

    private static void compareEntries(String what, JsonNode ref, List<Map<String, Object>> ours) {
        List<JsonNode> expected = new ArrayList<>();
        collectEntries(ref, expected);
        List<JsonNode> actual = new ArrayList<>();
        for (Map<String, Object> m : ours) {
            if ("ENTRY".equals(m.get("op"))) {
                try {
                    actual.add(JSON.readTree(JSON.writeValueAsString(m)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        assertThat(actual).as(what + " entries").hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            JsonNode e = expected.get(i);
            JsonNode a = actual.get(i);
            for (String f : new String[] {"db", "key", "type", "count", "expire_at_ms", "df_mask", "mc_flags"}) {
                assertThat(a.get(f)).as(what + " entry " + e.get("key") + " " + f).isEqualTo(e.get(f));
            }
            if (e.has("value") && !e.get("type_name").asText().startsWith("SET")
                    && !e.get("type_name").asText().equals("JSON")) {
                assertThat(a.get("value")).as(what + " value of " + e.get("key")).isEqualTo(e.get("value"));
            }
        }
    }

    private static void collectEntries(JsonNode records, List<JsonNode> out) {
        for (JsonNode r : records) {
            if (r.get("op").asText().equals("ENTRY")) {
                out.add(r);
            } else if (r.has("records")) {
                collectEntries(r.get("records"), out);
            }
        }
    }

    /** Reads {@code name} or its gzipped {@code name.gz}. */
    static byte[] read(Path dir, String name) throws IOException {
        Path p = dir.resolve(name);
        if (Files.exists(p)) {
            return Files.readAllBytes(p);
        }
        try (java.io.InputStream in = new java.util.zip.GZIPInputStream(Files.newInputStream(dir.resolve(name + ".gz")))) {
            return in.readAllBytes();
        }
    }

    static void awaitTrue(java.util.function.BooleanSupplier cond, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
