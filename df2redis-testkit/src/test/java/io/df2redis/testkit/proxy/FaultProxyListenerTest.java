package io.df2redis.testkit.proxy;

import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FaultProxyListenerTest {

    @Test
    void refuseNewResetsNewConnectionsButLeavesLiveOnesAlone() throws Exception {
        try (Upstream echo = Upstream.echo();
             FaultProxy proxy = FaultProxy.start("127.0.0.1", echo.port());
             Socket live = Net.connect(proxy)) {
            assertThat(Net.roundTrip(live, "a")).isEqualTo("a");
            proxy.refuseNew(true);
            try (Socket refused = Net.connect(proxy)) {
                Net.Received r = Net.readToEnd(refused);
                assertThat(r.bytes()).isEmpty();
                assertThat(r.reset()).as("refused with a reset").isTrue();
            }
            assertThat(proxy.acceptedCount()).isEqualTo(2);
            assertThat(proxy.faultCount()).isEqualTo(1);
            assertThat(echo.accepted()).as("the refused client never reached the upstream").isEqualTo(1);
            assertThat(Net.roundTrip(live, "b")).isEqualTo("b");

            proxy.refuseNew(false);
            try (Socket again = Net.connect(proxy)) {
                assertThat(Net.roundTrip(again, "c")).isEqualTo("c");
            }
        }
    }

    @Test
    void aPausedListenerAcceptsNothingUntilUnpaused() throws Exception {
        try (Upstream echo = Upstream.echo();
             FaultProxy proxy = FaultProxy.start("127.0.0.1", echo.port())) {
            proxy.pause();
            assertThat(proxy.isPaused()).isTrue();
            try (Socket waiting = Net.connect(proxy)) { // the system completes the handshake into the backlog
                waiting.getOutputStream().write("hi".getBytes());
                waiting.setSoTimeout(200);
                assertThatThrownBy(() -> waiting.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
                assertThat(proxy.acceptedCount()).isZero();
                assertThat(proxy.faultCount()).isEqualTo(1);

                proxy.unpause();
                waiting.setSoTimeout(5000);
                assertThat(new String(waiting.getInputStream().readNBytes(2))).isEqualTo("hi");
                assertThat(proxy.acceptedCount()).isEqualTo(1);
                assertThat(proxy.isPaused()).isFalse();
            }
        }
    }

    @Test
    void closeIsIdempotentAndLeavesNoOpenConnection() throws Exception {
        try (Upstream echo = Upstream.echo()) {
            FaultProxy proxy = FaultProxy.start("127.0.0.1", echo.port());
            List<Socket> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    clients.add(Net.connect(proxy));
                    assertThat(Net.roundTrip(clients.get(i), "x")).isEqualTo("x");
                }
                List<ProxiedConnection> conns = proxy.connections();
                assertThat(conns).hasSize(3);
                conns.get(1).stall();

                proxy.close();
                proxy.close();

                assertThat(proxy.connections()).isEmpty();
                for (ProxiedConnection c : conns) {
                    assertThat(c.isOpen()).isFalse();
                    c.closeFuture().get(1, TimeUnit.SECONDS);
                }
                for (Socket s : clients) {
                    assertThat(Net.readToEnd(s).bytes()).isEmpty();
                }
                Net.await("the upstream connections to close", Duration.ofSeconds(5), () -> echo.openConnections() == 0);
                assertThatThrownBy(() -> new Socket(proxy.host(), proxy.port()).close()).isInstanceOf(ConnectException.class);
                assertThatThrownBy(proxy::cut).isInstanceOf(IllegalStateException.class);
                assertThatThrownBy(proxy::pause).isInstanceOf(IllegalStateException.class);
                conns.get(0).cut(); // a fault on a closed connection does nothing
                assertThat(proxy.faultCount()).isEqualTo(1);
            } finally {
                proxy.close();
                for (Socket s : clients) {
                    s.close();
                }
            }
        }
    }
}
