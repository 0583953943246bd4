package io.df2redis.replica;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

/**
 * Test helper: a master that replays one captured Dragonfly case verbatim — the handshake
 * replies of handshake.json and the flow-i.bin bytes (the part before JOURNAL_OFFSET after
 * DFLY SYNC, the rest after DFLY STARTSTABLE) — and records the ACKs it receives.
 */
final class CaptureReplayMaster implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final JsonNode handshake;
    private final List<byte[]> flowBytes = new ArrayList<>();
    private final List<Integer> splits = new ArrayList<>();
    private final ServerSocket server;
    private final Map<Integer, OutputStream> flowOut = new ConcurrentHashMap<>();
    final Map<Integer, List<Long>> acks = new ConcurrentHashMap<>();
    final List<String> commands = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    CaptureReplayMaster(Path dir) throws IOException {
        handshake = JSON.readTree(Files.readAllBytes(dir.resolve("handshake.json")));
        JsonNode decoded = JSON.readTree(read(dir, "decoded.json"));
        for (JsonNode f : handshake.get("flows")) {
            int i = f.get("flow").asInt();
            byte[] bin = Files.readAllBytes(dir.resolve(f.get("file").asText()));
            flowBytes.add(bin);
            splits.add(split(decoded.get("flows").get(i).get("records"), bin.length, f.get("kind").asText()));
            acks.put(i, new CopyOnWriteArrayList<>());
        }
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "replay-master");
        t.setDaemon(true);
        t.start();
    }

    static byte[] read(Path dir, String name) throws IOException {
        Path p = dir.resolve(name);
        if (Files.exists(p)) {
            return Files.readAllBytes(p);
        }
        try (InputStream in = new GZIPInputStream(Files.newInputStream(dir.resolve(name + ".gz")))) {
            return in.readAllBytes();
        }
    }

    /** Offset of the top-level record holding JOURNAL_OFFSET: what comes at STARTSTABLE. */
    private static int split(JsonNode records, int length, String kind) {
        if (kind.equals("PARTIAL")) {
            return 0;
        }
        for (JsonNode r : records) {
            if (r.get("op").asText().equals("JOURNAL_OFFSET")) {
                return r.get("off").asInt();
            }
            if (r.has("records")) {
                for (JsonNode inner : r.get("records")) {
                    if (inner.get("op").asText().equals("JOURNAL_OFFSET")) {
                        return r.get("off").asInt();
                    }
                }
            }
        }
        return length;
    }

    int port() {
        return server.getLocalPort();
    }

    JsonNode handshake() {
        return handshake;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                sockets.add(s);
                Thread t = new Thread(() -> serve(s), "replay-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        int flow = -1;
        try (InputStream in = new BufferedInputStream(s.getInputStream()); OutputStream out = s.getOutputStream()) {
            while (true) {
                List<String> cmd = readCommand(in);
                if (cmd == null) {
                    return;
                }
                String name = String.join(" ", cmd.subList(0, Math.min(2, cmd.size()))).toUpperCase();
                if (name.equals("REPLCONF ACK")) {
                    acks.get(flow).add(Long.parseLong(cmd.get(2)));
                    continue;
                }
                commands.add(String.join(" ", cmd));
                if (name.equals("DFLY FLOW")) {
                    flow = Integer.parseInt(cmd.get(4));
                    flowOut.put(flow, out);
                    write(out, replyFor(cmd, flow));
                } else if (name.equals("DFLY SYNC")) {
                    for (int i = 0; i < flowBytes.size(); i++) {
                        OutputStream o = flowOut.get(i);
                        synchronized (o) {
                            o.write(flowBytes.get(i), 0, splits.get(i));
                            o.flush();
                        }
                    }
                    write(out, "+OK\r\n");
                } else if (name.equals("DFLY STARTSTABLE")) {
                    for (int i = 0; i < flowBytes.size(); i++) {
                        OutputStream o = flowOut.get(i);
                        synchronized (o) {
                            o.write(flowBytes.get(i), splits.get(i), flowBytes.get(i).length - splits.get(i));
                            o.flush();
                        }
                    }
                    write(out, "+OK\r\n");
                } else if (name.equals("INFO SERVER")) {
                    String body = "# Server\r\ndragonfly_version:" + handshake.get("dragonfly_version").asText()
                            + "\r\n";
                    write(out, "$" + body.length() + "\r\n" + body + "\r\n");
                } else {
                    write(out, replyFor(cmd, flow));
                }
            }
        } catch (IOException e) {
            // connection closed
        }
    }

    private String replyFor(List<String> cmd, int flow) {
        for (JsonNode c : handshake.get("commands")) {
            List<String> recorded = new ArrayList<>();
            c.get("cmd").forEach(x -> recorded.add(x.asText()));
            boolean same = recorded.size() >= 2 && cmd.size() >= 2
                    && recorded.get(0).equalsIgnoreCase(cmd.get(0)) && recorded.get(1).equalsIgnoreCase(cmd.get(1));
            if (same && cmd.get(0).equalsIgnoreCase("DFLY") && cmd.get(1).equalsIgnoreCase("FLOW")) {
                same = c.get("conn").asText().equals("flow-" + flow);
            }
            if (same && cmd.get(0).equalsIgnoreCase("REPLCONF") && cmd.size() > 2 && recorded.size() > 2) {
                same = recorded.get(2).equalsIgnoreCase(cmd.get(2));
            }
            if (same || (cmd.size() == 1 && recorded.size() == 1 && recorded.get(0).equalsIgnoreCase(cmd.get(0)))) {
                return c.get("reply_raw").asText();
            }
        }
        return "+OK\r\n";
    }

    private static void write(OutputStream out, String s) throws IOException {
        synchronized (out) {
            out.write(s.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }
    }

    private static List<String> readCommand(InputStream in) throws IOException {
        int b = in.read();
        if (b < 0) {
            return null;
        }
        if (b != '*') {
            throw new IOException("expected a RESP array");
        }
        int n = Integer.parseInt(line(in));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (in.read() != '$') {
                throw new IOException("expected a bulk string");
            }
            int len = Integer.parseInt(line(in));
            byte[] d = in.readNBytes(len);
            in.readNBytes(2);
            out.add(new String(d, StandardCharsets.UTF_8));
        }
        return out;
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new IOException("eof");
            }
            b.write(c);
        }
        in.read();
        return b.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
