package io.df2redis.replica;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A master that rejects DFLY FLOW ({@code -ERR bad sync id}): the replicator reports a HandshakeException with the master's words. */
class FlowErrorReplyIT {

    @Test
    void badSyncIdBecomesAHandshakeError() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket s = server.accept();
                        Thread c = new Thread(() -> serve(s));
                        c.setDaemon(true);
                        c.start();
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            t.setDaemon(true);
            t.start();
            try (Replicator r = Replicator.builder().source("127.0.0.1", server.getLocalPort())
                    .options(o -> o.reconnect(false)).build()) {
                r.start();
                CapturedCaseReplicationIT.awaitTrue(() -> r.state() == ReplicationState.FAILED, "FAILED");
                assertThat(r.failure()).isInstanceOf(HandshakeException.class).hasMessageContaining("bad sync id");
                assertThat(r.failure().isRetryable()).isTrue();
                assertThatThrownBy(() -> r.awaitStableSync(Duration.ofSeconds(1)))
                        .isInstanceOf(HandshakeException.class);
            }
        }
    }

    private static void serve(Socket s) {
        try (s; BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(),
                StandardCharsets.ISO_8859_1)); OutputStream out = s.getOutputStream()) {
            while (true) {
                List<String> cmd = read(in);
                if (cmd == null) {
                    return;
                }
                String reply;
                String c = String.join(" ", cmd);
                if (c.equals("PING")) {
                    reply = "+PONG\r\n";
                } else if (c.equals("REPLCONF capa dragonfly")) {
                    String id = "a".repeat(40);
                    reply = "*5\r\n+" + id + "\r\n+SYNC1\r\n:1\r\n:5\r\n+" + id + "\r\n";
                } else if (c.startsWith("INFO")) {
                    String body = "dragonfly_version:df-v1.40.1\r\n";
                    reply = "$" + body.length() + "\r\n" + body + "\r\n";
                } else if (c.startsWith("DFLY FLOW")) {
                    reply = "-ERR bad sync id\r\n";
                } else {
                    reply = "+OK\r\n";
                }
                out.write(reply.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
        } catch (Exception e) {
            // closed
        }
    }

    private static List<String> read(BufferedReader in) throws Exception {
        String head = in.readLine();
        if (head == null) {
            return null;
        }
        int n = Integer.parseInt(head.substring(1));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            in.readLine();
            out.add(in.readLine());
        }
        return out;
    }
}
