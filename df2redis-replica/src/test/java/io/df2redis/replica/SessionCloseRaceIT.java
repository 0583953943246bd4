package io.df2redis.replica;

import io.df2redis.testkit.ConnectionRecord;
import io.df2redis.testkit.EmbeddedDragonflyMaster;
import io.netty.channel.nio.NioEventLoopGroup;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.df2redis.replica.CapturedCaseReplicationIT.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code close()} while the supervisor is still setting the session up (here: inside the host's
 * {@code onHandshake}, which ignores interrupts): nothing the supervisor would open afterwards —
 * flow connections, applier threads, ACK tasks — may escape the close. With a host-owned event
 * loop group, a leaked connection would stay open forever.
 */
class SessionCloseRaceIT {

    @Test
    void closeDuringSetUpLeavesNothingOpen() throws Exception {
        NioEventLoopGroup group = new NioEventLoopGroup(2);
        try (EmbeddedDragonflyMaster m = EmbeddedDragonflyMaster.builder().shards(2).start()) {
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            ReplicationListener slowHost = new ReplicationListener() {
                @Override
                public void onHandshake(MasterInfo master) {
                    entered.countDown();
                    while (true) {
                        try {
                            release.await();
                            return;
                        } catch (InterruptedException e) {
                            // host code that does not honour interrupts
                        }
                    }
                }
            };
            Replicator r = Replicator.builder().source(m.host(), m.port()).eventLoopGroup(group).listener(slowHost)
                    .build();
            r.start();
            assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
            var closing = r.closeAsync();
            awaitTrue(() -> m.connections().stream().noneMatch(ConnectionRecord::open),
                    "the control connection closed by close()");
            release.countDown(); // the supervisor goes on with the session it was setting up
            closing.get(60, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < deadline) {
                assertThat(m.connections()).as("connections opened after close()").hasSize(1);
                Thread.sleep(50);
            }
            assertThat(m.connections()).noneMatch(ConnectionRecord::open);
            assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("df2redis-flow-")
                    && t.isAlive());
            assertThat(r.state()).isEqualTo(ReplicationState.STOPPED);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
