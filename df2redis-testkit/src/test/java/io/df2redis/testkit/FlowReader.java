package io.df2redis.testkit;

import io.df2redis.protocol.journal.JournalDecoder;
import io.df2redis.protocol.rdb.RdbDecoder;
import io.df2redis.tools.inspect.FlowRecorder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One flow connection of a test replica: feeds every byte received after the FLOW reply to
 * {@link RdbDecoder#forFlow} with a {@link FlowRecorder}, and keeps the raw bytes.
 */
final class FlowReader implements AutoCloseable {
    final int flow;
    final RespClient conn;
    final String token;
    final String kind;
    final FlowRecorder recorder = new FlowRecorder(1 << 20, true);
    final RdbDecoder decoder = RdbDecoder.forFlow(recorder);
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private boolean closed;

    FlowReader(int flow, RespClient conn, String kind, String token) {
        this.flow = flow;
        this.conn = conn;
        this.kind = kind;
        this.token = token;
        recorder.attach(decoder).expectToken(token);
        feed(conn.takeBuffered());
    }

    /** For a PARTIAL flow (raw journal from {@code requestedLsn}): decode with a journal decoder. */
    FlowReader partialFrom(long requestedLsn) {
        journal = new JournalDecoder(recorder);
        journal.nextLsn(requestedLsn);
        byte[] pending = bytes.toByteArray();
        bytes.reset();
        feed(pending);
        return this;
    }

    private JournalDecoder journal;
    private final ByteBuf journalBuf = Unpooled.buffer();

    void feed(byte[] b) {
        if (b == null || b.length == 0) {
            return;
        }
        bytes.writeBytes(b);
        if (journal != null) {
            journalBuf.writeBytes(b);
            journal.decode(journalBuf);
            journalBuf.discardReadBytes();
        } else if (!kind.equals("PARTIAL")) {
            decoder.feed(b, 0, b.length);
        }
    }

    /** Reads until {@code done} holds; fails after {@code timeout}. */
    FlowReader readUntil(Predicate<FlowReader> done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.test(this)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("flow " + flow + ": condition not reached within " + timeout + "; got "
                        + bytes.size() + " bytes, records " + summary());
            }
            byte[] b = conn.readSome(256 * 1024, Duration.ofMillis(50));
            if (b == null) {
                closed = true;
                if (!done.test(this)) {
                    throw new AssertionError("flow " + flow + " closed by the master after " + bytes.size() + " bytes");
                }
                return this;
            }
            feed(b);
        }
        return this;
    }

    /** Reads whatever arrives within {@code d}. */
    FlowReader readFor(Duration d) {
        feed(conn.readFor(d));
        return this;
    }

    boolean closed() {
        return closed;
    }

    boolean fullSyncEndSeen() {
        return find(recorder.records(), "FULLSYNC_END") != null;
    }

    boolean inJournal() {
        return decoder.phase() == RdbDecoder.Phase.JOURNAL;
    }

    long nextLsn() {
        return journal != null ? journal.nextLsn() : decoder.journalDecoder().nextLsn();
    }

    long journalOffset() {
        return decoder.journalOffset();
    }

    List<Map<String, Object>> records() {
        return recorder.records();
    }

    /** Every record, compressed blobs flattened (their inner records follow the blob record). */
    List<Map<String, Object>> flatRecords() {
        List<Map<String, Object>> out = new ArrayList<>();
        flatten(recorder.records(), out);
        return out;
    }

    /** The ENTRY records, in stream order. */
    List<Map<String, Object>> entries() {
        return flatRecords().stream().filter(r -> "ENTRY".equals(r.get("op"))).toList();
    }

    @SuppressWarnings("unchecked")
    static void flatten(List<Map<String, Object>> recs, List<Map<String, Object>> out) {
        for (Map<String, Object> r : recs) {
            out.add(r);
            Object inner = r.get("records");
            if (inner instanceof List<?> l) {
                flatten((List<Map<String, Object>>) l, out);
            }
        }
    }

    static Map<String, Object> find(List<Map<String, Object>> recs, String op) {
        List<Map<String, Object>> flat = new ArrayList<>();
        flatten(recs, flat);
        return flat.stream().filter(r -> op.equals(r.get("op"))).findFirst().orElse(null);
    }

    private String summary() {
        StringBuilder sb = new StringBuilder();
        for (Map<String, Object> r : flatRecords()) {
            sb.append(r.get("op")).append(' ');
        }
        return sb.length() > 2000 ? sb.substring(0, 2000) + "..." : sb.toString();
    }

    @Override
    public void close() {
        conn.close();
    }
}
