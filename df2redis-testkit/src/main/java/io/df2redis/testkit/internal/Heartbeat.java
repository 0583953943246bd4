package io.df2redis.testkit.internal;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The master's heartbeat ({@code --hz} beats a second, Dragonfly's {@code EngineShard::Heartbeat}):
 * runs a task on its own daemon thread, never on an event loop. Active expiry is the only task.
 */
final class Heartbeat implements AutoCloseable {
    private final ScheduledExecutorService thread;

    Heartbeat(int hz, Runnable beat) {
        thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "embedded-dragonfly-heartbeat");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(1, 1000 / hz);
        thread.scheduleAtFixedRate(beat, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
