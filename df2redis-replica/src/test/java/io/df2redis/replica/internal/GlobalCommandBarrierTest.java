package io.df2redis.replica.internal;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GlobalCommandBarrierTest {

    @Test
    void runsTheCommandOnceAfterEveryFlowArrivedAndReleasesAllAfterIt() throws Exception {
        GlobalCommandBarrier b = new GlobalCommandBarrier(4);
        AtomicInteger runs = new AtomicInteger();
        List<String> order = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int f = 0; f < 4; f++) {
            int flow = f;
            Thread t = new Thread(() -> {
                try {
                    Thread.sleep(flow * 30L);
                    order.add("arrive " + flow);
                    b.arrive(7, () -> {
                        order.add("run");
                        runs.incrementAndGet();
                    }, () -> false);
                    order.add("leave " + flow);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join(5000);
        }
        assertThat(runs).hasValue(1);
        int run = order.indexOf("run");
        for (int f = 0; f < 4; f++) {
            assertThat(order.indexOf("arrive " + f)).isLessThan(run);
            assertThat(order.indexOf("leave " + f)).isGreaterThan(run);
        }
    }

    @Test
    void aCancelledSessionStopsWaiting() {
        GlobalCommandBarrier b = new GlobalCommandBarrier(2);
        assertThatThrownBy(() -> b.arrive(1, () -> { }, () -> true)).isInstanceOf(InterruptedException.class);
    }

    @Test
    void cancellingTheBarrierReleasesAWaitingFlow() throws Exception {
        GlobalCommandBarrier b = new GlobalCommandBarrier(2);
        java.util.concurrent.CompletableFuture<Throwable> out = new java.util.concurrent.CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                b.arrive(1, () -> { }, () -> false);
                out.complete(null);
            } catch (Throwable e) {
                out.complete(e);
            }
        });
        t.start();
        b.cancel();
        assertThat(out.get(30, java.util.concurrent.TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
    }
}
