package io.df2redis.protocol.client;

import io.df2redis.protocol.net.HostAndPort;
import io.df2redis.protocol.resp.SimpleString;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link RespClient#send(List)} encodes on the sending thread (a sink's flow applier pipelining
 * thousands of commands does that work itself, the event loop only writes), and a command refused
 * before it is written releases its encoded bytes.
 */
@Timeout(120)
class RespClientSendThreadIT {
    private static EventLoopGroup group;
    private static TestRedisServer redis;

    @BeforeAll
    static void start() throws Exception {
        group = new NioEventLoopGroup(1);
        redis = TestRedisServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (redis != null) {
            redis.close();
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void bytesCommandsAreEncodedByTheSenderAndReleasedWhenRefused() throws Exception {
        RecordingAllocator alloc = new RecordingAllocator();
        try (RespClient c = RespClient.connect(group, HostAndPort.of("127.0.0.1", redis.port()),
                RespClientOptions.DEFAULTS).toCompletableFuture().get(30, TimeUnit.SECONDS)) {
            c.channel().config().setOption(ChannelOption.ALLOCATOR, alloc);
            // hold the event loop, so nothing queued can be drained (and encoded) there meanwhile
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            c.channel().eventLoop().execute(() -> {
                held.countDown();
                awaitQuietly(release);
            });
            assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<?> ping = c.send(List.of("PING".getBytes(StandardCharsets.US_ASCII)))
                    .toCompletableFuture();
            assertThat(alloc.threads).as("encoded by the sending thread").contains(Thread.currentThread());
            release.countDown();
            assertThat(ping.get(30, TimeUnit.SECONDS)).isEqualTo(new SimpleString("PONG"));

            c.close();
            int before = alloc.buffers.size();
            CompletableFuture<?> late = c.send(List.of("PING".getBytes(StandardCharsets.US_ASCII)))
                    .toCompletableFuture();
            assertThatThrownBy(() -> late.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(RespClientException.class);
            assertThat(alloc.buffers.subList(before, alloc.buffers.size())).isNotEmpty()
                    .allSatisfy(b -> assertThat(b.refCnt()).as("released").isZero());
        }
    }

    private static void awaitQuietly(CountDownLatch l) {
        try {
            l.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Heap buffers, remembering each one and the thread that asked for it. */
    private static final class RecordingAllocator extends AbstractByteBufAllocator {
        final List<Thread> threads = new CopyOnWriteArrayList<>();
        final List<ByteBuf> buffers = new CopyOnWriteArrayList<>();

        RecordingAllocator() {
            super(false);
        }

        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            return record(UnpooledByteBufAllocator.DEFAULT.heapBuffer(initialCapacity, maxCapacity));
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            return record(UnpooledByteBufAllocator.DEFAULT.directBuffer(initialCapacity, maxCapacity));
        }

        private ByteBuf record(ByteBuf b) {
            threads.add(Thread.currentThread());
            buffers.add(b);
            return b;
        }

        @Override
        public boolean isDirectBufferPooled() {
            return false;
        }
    }

}
