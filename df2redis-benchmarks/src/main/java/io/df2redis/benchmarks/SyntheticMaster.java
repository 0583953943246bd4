package io.df2redis.benchmarks;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * A Dragonfly master (replication side only, protocol v5 as v1.40.1 speaks it) serving a
 * {@link SyntheticDataset} that is generated while it is sent: 10 M keys or a 1 GiB list cost this
 * process a few MiB. Plain blocking sockets, one thread per connection and one writer per flow, so
 * the replica's TCP window is the only pacing: a replica that reads slowly slows this master, as it
 * would slow a real one. Meant to run in its own JVM, so that a measured replicator pays only for
 * itself. Prints {@code port <n>} on stdout, serves one full sync per {@code DFLY SYNC}, and exits
 * when its stdin closes.
 *
 * <pre>java -cp benchmarks.jar io.df2redis.benchmarks.SyntheticMaster --keys 10000000 [--value-bytes 32]
 *     [--list-elements 0] [--list-element-bytes 128] [--flows 2] [--lz4 true]</pre>
 */
public final class SyntheticMaster {
    private static final String MASTER_ID = "5f1c0a2e9b7d4c3a8e6f1b2d3c4a5e6f7a8b9c0d";
    private static final String SYNC_ID = "SYNC1";

    private final SyntheticDataset ds;
    private final ServerSocket server;
    private final Socket[] flowSockets;
    private final String[] tokens;
    private volatile CountDownLatch stable = new CountDownLatch(1);

    private SyntheticMaster(SyntheticDataset ds) throws IOException {
        this.ds = ds;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.flowSockets = new Socket[ds.flows()];
        this.tokens = new String[ds.flows()];
        for (int i = 0; i < ds.flows(); i++) {
            tokens[i] = String.format(Locale.ROOT, "%040x", 0xE0F0L + i);
        }
    }

    /**
     * Serves the dataset the options describe until stdin closes.
     *
     * @param args {@code --name value} pairs (see the class comment)
     * @throws Exception when the server cannot start
     */
    public static void main(String[] args) throws Exception {
        SyntheticDataset ds = parse(args);
        SyntheticMaster m = new SyntheticMaster(ds);
        Thread acceptor = new Thread(m::acceptLoop, "synthetic-master-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        System.out.println("port " + m.server.getLocalPort());
        System.out.flush();
        System.err.println("# synthetic master: " + ds);
        while (System.in.read() >= 0) {
            // until the parent closes our stdin (or dies)
        }
        m.server.close();
    }

    /** The dataset named by {@code args}; also used by the harness to know what to expect. */
    static SyntheticDataset parse(String[] args) {
        long keys = 1_000_000;
        int valueBytes = 32;
        long listElements = 0;
        int listElementBytes = 128;
        int flows = 2;
        boolean lz4 = true;
        for (int i = 0; i + 1 < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--keys" -> keys = Long.parseLong(v);
                case "--value-bytes" -> valueBytes = Integer.parseInt(v);
                case "--list-elements" -> listElements = Long.parseLong(v);
                case "--list-element-bytes" -> listElementBytes = Integer.parseInt(v);
                case "--flows" -> flows = Integer.parseInt(v);
                case "--lz4" -> lz4 = Boolean.parseBoolean(v);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        return new SyntheticDataset(keys, valueBytes, listElements, listElementBytes, flows, lz4);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                s.setTcpNoDelay(true);
                Thread t = new Thread(() -> serve(s), "synthetic-master-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Answers the commands of one connection until it closes. */
    private void serve(Socket s) {
        try (s) {
            InputStream in = new BufferedInputStream(s.getInputStream(), 64 * 1024);
            OutputStream out = s.getOutputStream();
            while (true) {
                List<String> cmd = readCommand(in);
                if (cmd == null) {
                    return;
                }
                byte[] reply = answer(s, cmd);
                if (reply != null) {
                    synchronized (s) {
                        out.write(reply);
                        out.flush();
                    }
                }
            }
        } catch (IOException e) {
            // connection closed by the replica
        }
    }

    private byte[] answer(Socket s, List<String> cmd) {
        String name = cmd.get(0).toUpperCase(Locale.ROOT);
        String sub = cmd.size() > 1 ? cmd.get(1).toUpperCase(Locale.ROOT) : "";
        switch (name) {
            case "PING":
                return simple("PONG");
            case "INFO":
                String info = "# Server\r\nredis_version:7.4.0\r\ndragonfly_version:df-v1.40.1\r\nredis_mode:standalone\r\n";
                byte[] b = info.getBytes(StandardCharsets.US_ASCII);
                return concat(("$" + b.length + "\r\n").getBytes(StandardCharsets.US_ASCII), b, crlf());
            case "REPLCONF":
                if (sub.equals("ACK")) {
                    return null;
                }
                if (sub.equals("CAPA") && cmd.size() == 3 && cmd.get(2).equalsIgnoreCase("dragonfly")) {
                    return ("*5\r\n+" + MASTER_ID + "\r\n+" + SYNC_ID + "\r\n:" + ds.flows() + "\r\n:5\r\n+" + MASTER_ID
                            + "\r\n").getBytes(StandardCharsets.US_ASCII);
                }
                return simple("OK");
            case "DFLY":
                return dfly(s, sub, cmd);
            default:
                System.err.println("# synthetic master: answering +OK to " + cmd);
                return simple("OK");
        }
    }

    private byte[] dfly(Socket s, String sub, List<String> cmd) {
        switch (sub) {
            case "FLOW": {
                int id = Integer.parseInt(cmd.get(4));
                synchronized (flowSockets) {
                    flowSockets[id] = s;
                }
                return ("*2\r\n+FULL\r\n+" + tokens[id] + "\r\n").getBytes(StandardCharsets.US_ASCII);
            }
            case "SYNC": {
                stable = new CountDownLatch(1);
                Socket[] flows;
                synchronized (flowSockets) {
                    flows = flowSockets.clone();
                }
                for (int i = 0; i < flows.length; i++) {
                    if (flows[i] == null) {
                        return error("ERR flow " + i + " not connected");
                    }
                }
                for (int i = 0; i < flows.length; i++) {
                    int id = i;
                    Socket f = flows[i];
                    CountDownLatch st = stable;
                    Thread t = new Thread(() -> writeFlow(id, f, st), "synthetic-master-flow-" + i);
                    t.setDaemon(true);
                    t.start();
                }
                return simple("OK");
            }
            case "STARTSTABLE":
                stable.countDown();
                return simple("OK");
            default:
                System.err.println("# synthetic master: answering +OK to " + cmd);
                return simple("OK");
        }
    }

    /** Generates flow {@code id} onto its socket; the snapshot now, its end at STARTSTABLE. */
    private void writeFlow(int id, Socket s, CountDownLatch stableStart) {
        long t0 = System.nanoTime();
        try {
            OutputStream raw = s.getOutputStream();
            synchronized (s) { // the FLOW reply went out before DFLY SYNC was sent: nothing else writes here
                BufferedOutputStream out = new BufferedOutputStream(raw, 64 * 1024);
                SyntheticFlowWriter w = new SyntheticFlowWriter(ds, id, out);
                w.writeSnapshot();
                System.err.printf(Locale.ROOT, "# synthetic master: flow %d snapshot sent, %d bytes in %.1f s%n", id,
                        w.bytesWritten(), (System.nanoTime() - t0) / 1e9);
                stableStart.await();
                w.writeStableStart(tokens[id]);
            }
        } catch (IOException e) {
            System.err.println("# synthetic master: flow " + id + " ended: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------ RESP

    /** One command (an array of bulk strings, or an inline command); null at end of stream. */
    private static List<String> readCommand(InputStream in) throws IOException {
        int first = in.read();
        if (first < 0) {
            return null;
        }
        if (first != '*') {
            String line = (char) first + readLine(in);
            return List.of(line.trim().split("\\s+"));
        }
        int n = Integer.parseInt(readLine(in));
        List<String> args = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            if (in.read() != '$') {
                throw new IOException("expected a bulk string");
            }
            int len = Integer.parseInt(readLine(in));
            byte[] b = in.readNBytes(len + 2);
            if (b.length < len + 2) {
                throw new EOFException();
            }
            args.add(new String(b, 0, len, StandardCharsets.UTF_8));
        }
        return args;
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(16);
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                b.write(c);
            }
        }
        if (c < 0) {
            throw new EOFException();
        }
        return b.toString(StandardCharsets.US_ASCII);
    }

    private static byte[] simple(String s) {
        return ("+" + s + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] error(String s) {
        return ("-" + s + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] crlf() {
        return new byte[] {'\r', '\n'};
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }
}
