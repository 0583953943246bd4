package io.df2redis.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.df2redis.protocol.resp.ErrorReply;
import io.df2redis.protocol.resp.RespReply;
import io.df2redis.testkit.EmbeddedDragonflyMaster;
import io.df2redis.tools.SyncRespClient;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Makes the mixed-type capture {@link EndToEndHarness} replays beside the real populate stream: an
 * {@link EmbeddedDragonflyMaster} (v1.40 profile, 2 shards, LZ4, tagged chunks: Dragonfly's
 * defaults) filled by {@code DEBUG POPULATE} with strings (10 % with a TTL), hashes, lists, sets,
 * sorted sets and a few lists big enough for tagged chunks, all of random bytes; then a replica's
 * handshake recorded reply by reply and every flow's bytes up to its eof token, written as a capture
 * directory ({@code handshake.json}, {@code flow-<i>.bin}) that {@link ReplayServer} serves at wire
 * speed. Prints the key count to pass as {@code --keys}.
 *
 * <pre>java -cp benchmarks.jar io.df2redis.benchmarks.MixedCapture OUT_DIR [--scale 1]</pre>
 *
 * <p>Scale 1 is 280 010 keys, about 1.2 M values and 48 MB of flow bytes (random values do not
 * compress).
 */
public final class MixedCapture {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Scale 1: the populate commands, as {@code DEBUG POPULATE} arguments (the count is scaled). */
    private static final String[][] POPULATE = {
        {"200000", "s", "32", "RAND"},
        {"20000", "h", "32", "RAND", "TYPE", "HASH", "ELEMENTS", "10"},
        {"20000", "l", "32", "RAND", "TYPE", "LIST", "ELEMENTS", "10"},
        {"20000", "st", "32", "RAND", "TYPE", "SET", "ELEMENTS", "10"},
        {"20000", "z", "32", "RAND", "TYPE", "ZSET", "ELEMENTS", "10"},
        {"10", "big", "64", "RAND", "TYPE", "LIST", "ELEMENTS", "20000"},
    };

    private MixedCapture() {
    }

    /**
     * Writes the capture and prints {@code keys <n>}.
     *
     * @param args the output directory, then optionally {@code --scale X} (key counts times X, default 1)
     * @throws Exception when the master or the capture fails
     */
    public static void main(String[] args) throws Exception {
        double scale = args.length > 2 && args[1].equals("--scale") ? Double.parseDouble(args[2]) : 1;
        System.out.println("keys " + write(Path.of(args[0]), scale));
    }

    /**
     * Fills a fresh embedded master with the data set at {@code scale} and writes its capture into
     * {@code out}.
     *
     * @return the number of keys in the capture
     */
    static long write(Path out, double scale) throws Exception {
        Files.createDirectories(out);
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).start();
             SyncRespClient c = SyncRespClient.connect(m.host(), m.port(), null, null)) {
            long keys = 0;
            for (String[] p : POPULATE) {
                String[] a = p.clone();
                a[0] = Long.toString(Math.round(Long.parseLong(a[0]) * scale));
                keys += Long.parseLong(a[0]);
                List<Object> cmd = new ArrayList<>(List.of("DEBUG", "POPULATE"));
                cmd.addAll(Arrays.asList(a));
                check(c.call(cmd.toArray()));
            }
            long strings = Math.round(200_000 * scale);
            for (long i = 0; i < strings; i += 10) {
                check(c.call("EXPIRE", "s:" + i, Long.toString(3_600 + i % 3_600)));
            }
            capture(m, c, out);
            return keys;
        }
    }

    /**
     * Redis's own rate for the data set at {@code scale}, the reference for its migration: the same
     * number of commands of the same shapes through {@code redis-benchmark -P 64}, each a random key
     * ({@code __rand_int__}) and, for sets, sorted sets and hash fields, random members, with values
     * of the data set's sizes; then each shape's requests divided by its rate, summed.
     *
     * @return the seconds Redis needs to ingest the data set this way
     */
    static double referenceSeconds(RedisTarget redis, double scale) throws Exception {
        String v32 = "x".repeat(32);
        String member32 = "__rand_int__" + "x".repeat(20);
        String field16 = "__rand_int__" + "xxxx";
        double seconds = 0;
        long strings = Math.round(200_000 * scale);
        seconds += strings / redis.redisBenchmark(64, strings, strings, 32, "-t", "set");
        long small = Math.round(20_000 * scale);
        if (small > 0) {
            seconds += small / redis.redisBenchmark(64, small, small, 32, shape("HSET", "h", field16, "x".repeat(16)));
            seconds += small / redis.redisBenchmark(64, small, small, 32, shape("RPUSH", "l", v32));
            seconds += small / redis.redisBenchmark(64, small, small, 32, shape("SADD", "st", member32));
            seconds += small / redis.redisBenchmark(64, small, small, 32, shape("ZADD", "z", "1", member32));
        }
        long bigCommands = Math.round(10 * scale) * 20_000 / 10;
        if (bigCommands > 0) {
            seconds += bigCommands / redis.redisBenchmark(64, bigCommands, Math.round(10 * scale), 64,
                    shape("RPUSH", "big", "x".repeat(64)));
        }
        redis.flushAll();
        return seconds;
    }

    /** A command of 10 elements ({@code element} repeated, e.g. a field and its value) on a random key. */
    private static String[] shape(String command, String prefix, String... element) {
        List<String> a = new ArrayList<>(List.of(command, prefix + ":__rand_int__"));
        for (int i = 0; i < 10; i++) {
            a.addAll(List.of(element));
        }
        return a.toArray(String[]::new);
    }

    private static void check(RespReply r) {
        if (r instanceof ErrorReply e) {
            throw new IllegalStateException("the embedded master refused a populate command: " + e.message());
        }
    }

    /** A replica's handshake and full sync, recorded. */
    private static void capture(EmbeddedDragonflyMaster m, SyncRespClient client, Path out) throws Exception {
        ObjectNode h = JSON.createObjectNode();
        ArrayNode commands = h.putArray("commands");
        try (Socket main = new Socket(m.host(), m.port())) {
            Raw mainConn = new Raw("main", main, commands);
            mainConn.call("PING");
            mainConn.call("REPLCONF", "listening-port", "16380");
            mainConn.call("REPLCONF", "capa", "eof", "capa", "psync2");
            List<String> capa = lines(mainConn.call("REPLCONF", "capa", "dragonfly"));
            String masterId = capa.get(0);
            String syncId = capa.get(1);
            int flows = Integer.parseInt(capa.get(2));
            mainConn.call("REPLCONF", "CLIENT-ID", "dfcapture");
            mainConn.call("REPLCONF", "CLIENT-VERSION", "4");
            List<Socket> sockets = new ArrayList<>();
            List<FlowBytes> readers = new ArrayList<>();
            ArrayNode flowNodes = h.putArray("flows");
            try {
                for (int i = 0; i < flows; i++) {
                    Socket s = new Socket(m.host(), m.port());
                    sockets.add(s);
                    List<String> r = lines(new Raw("flow-" + i, s, commands)
                            .call("DFLY", "FLOW", masterId, syncId, Integer.toString(i)));
                    if (!r.get(0).equals("FULL")) {
                        throw new IllegalStateException("flow " + i + " is " + r.get(0) + ", not FULL");
                    }
                    ObjectNode f = flowNodes.addObject();
                    f.put("flow", i).put("kind", "FULL").put("eof_token", r.get(1)).put("file", "flow-" + i + ".bin");
                    readers.add(new FlowBytes(s.getInputStream(), r.get(1).getBytes(StandardCharsets.US_ASCII)));
                }
                mainConn.call("DFLY", "SYNC", syncId);
                readers.forEach(Thread::start);
                // nothing is written meanwhile, so the bytes do not depend on when STARTSTABLE comes:
                // the master completes the snapshot, then sends JOURNAL_OFFSET, EOF and the token
                mainConn.call("DFLY", "STARTSTABLE", syncId);
                ArrayNode offsets = h.putArray("replica_offset_at_end");
                for (int i = 0; i < flows; i++) {
                    FlowBytes r = readers.get(i);
                    r.join(120_000);
                    if (r.isAlive() || r.failure != null) {
                        throw new IllegalStateException("flow " + i + " did not end with its eof token", r.failure);
                    }
                    Files.write(out.resolve("flow-" + i + ".bin"), r.bytes.toByteArray());
                    offsets.add(m.nextLsn(i));
                }
            } finally {
                for (Socket s : sockets) {
                    s.close();
                }
            }
            ObjectNode info = h.putObject("info_server");
            for (String line : ((io.df2redis.protocol.resp.BulkString) client.call("INFO", "server"))
                    .asString().split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && !line.startsWith("#")) {
                    info.put(line.substring(0, colon), line.substring(colon + 1));
                }
            }
            h.put("dragonfly_version", info.path("dragonfly_version").asText());
            h.put("master_id", masterId).put("sync_id", syncId).put("num_flows", flows);
        }
        JSON.writerWithDefaultPrettyPrinter().writeValue(out.resolve("handshake.json").toFile(), h);
    }

    /** The simple and bulk strings of an array reply, parsed from its raw bytes. */
    private static List<String> lines(byte[] raw) {
        List<String> out = new ArrayList<>();
        String s = new String(raw, StandardCharsets.ISO_8859_1);
        String[] parts = s.split("\r\n");
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i];
            if (p.startsWith("+") || p.startsWith(":")) {
                out.add(p.substring(1));
            } else if (p.startsWith("$")) {
                out.add(parts[++i]);
            }
        }
        return out;
    }

    /** One recorded connection: commands sent, raw replies kept. */
    private record Raw(String name, Socket socket, ArrayNode log) {
        byte[] call(String... args) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            for (String a : args) {
                byte[] v = a.getBytes(StandardCharsets.UTF_8);
                b.writeBytes(("$" + v.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                b.writeBytes(v);
                b.writeBytes(new byte[] {'\r', '\n'});
            }
            OutputStream os = socket.getOutputStream();
            os.write(b.toByteArray());
            os.flush();
            ByteArrayOutputStream reply = new ByteArrayOutputStream();
            readReply(socket.getInputStream(), reply);
            byte[] raw = reply.toByteArray();
            if (raw[0] == '-') {
                throw new IllegalStateException(name + ": " + String.join(" ", args) + " refused: "
                        + new String(raw, StandardCharsets.ISO_8859_1).trim());
            }
            ObjectNode e = log.addObject();
            e.put("conn", name);
            ArrayNode cmd = e.putArray("cmd");
            Arrays.stream(args).forEach(cmd::add);
            e.put("reply_raw", new String(raw, StandardCharsets.ISO_8859_1));
            return raw;
        }
    }

    /** Copies one RESP reply from {@code in} to {@code out}, byte for byte. */
    private static void readReply(InputStream in, ByteArrayOutputStream out) throws IOException {
        String line = readLine(in, out);
        switch (line.charAt(0)) {
            case '$' -> {
                int n = Integer.parseInt(line.substring(1));
                if (n >= 0) {
                    out.writeBytes(in.readNBytes(n + 2));
                }
            }
            case '*' -> {
                int n = Integer.parseInt(line.substring(1));
                for (int i = 0; i < n; i++) {
                    readReply(in, out);
                }
            }
            default -> {
            }
        }
    }

    private static String readLine(InputStream in, ByteArrayOutputStream out) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                throw new EOFException("connection closed in a reply");
            }
            out.write(b);
            if (b != '\r') {
                sb.append((char) b);
            }
        }
        out.write('\n');
        return sb.toString();
    }

    /** Reads one flow until its bytes end with the eof token. */
    private static final class FlowBytes extends Thread {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final InputStream in;
        private final byte[] token;
        private final byte[] tail;
        volatile Exception failure;

        FlowBytes(InputStream in, byte[] token) {
            this.in = in;
            this.token = token;
            this.tail = new byte[token.length];
            setDaemon(true);
        }

        @Override
        public void run() {
            byte[] buf = new byte[64 * 1024];
            try {
                while (true) {
                    int n = in.read(buf);
                    if (n < 0) {
                        throw new EOFException("flow closed before its eof token");
                    }
                    bytes.write(buf, 0, n);
                    // the last token.length bytes read so far
                    int keep = Math.min(n, tail.length);
                    System.arraycopy(tail, keep, tail, 0, tail.length - keep);
                    System.arraycopy(buf, n - keep, tail, tail.length - keep, keep);
                    if (bytes.size() >= token.length && Arrays.equals(tail, token)) {
                        return;
                    }
                }
            } catch (IOException e) {
                failure = e;
            }
        }
    }
}
