package io.df2redis.testkit.proxy;

import io.netty.channel.EventLoopGroup;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The proxy-wide faults of a {@link FaultProxy}: applied to every live connection and inherited by
 * the connections accepted later (a stall, with the timer that ends a timed one, and the rate
 * limits per direction).
 *
 * <p><b>Threads.</b> Called from any thread (the faults) and from the event loops (new connections,
 * the stall timer); every field is guarded by {@code lock}.
 */
final class ProxyDefaults {
    private final Object lock = new Object();
    private final EventLoopGroup group;
    private final BooleanSupplier closed;
    private boolean defaultStalled;
    private long stallGeneration;
    private long defaultRateC2U;
    private long defaultRateU2C;

    ProxyDefaults(EventLoopGroup group, BooleanSupplier closed) {
        this.group = group;
        this.closed = closed;
    }

    /**
     * Records {@code fault} as a default of new connections (a stall, a resume, a throttle) and
     * submits it to every connection of {@code live}, under the lock so that concurrent
     * proxy-wide faults reach each event loop in one order.
     *
     * @return one future per connection, completed once applied
     */
    List<CompletableFuture<Void>> inject(Fault fault, Collection<ProxiedConnection> live) {
        List<CompletableFuture<Void>> applied = new ArrayList<>();
        synchronized (lock) {
            Fault each = fault;
            if (fault instanceof Fault.Stall s) {
                defaultStalled = true;
                long generation = ++stallGeneration;
                if (s.duration() != null) {
                    group.next().schedule(() -> endStall(generation, live), s.duration().toNanos(), TimeUnit.NANOSECONDS);
                }
                // the proxy's timer ends the stall, also of the connections accepted meanwhile
                each = new Fault.Stall(null);
            } else if (fault instanceof Fault.Resume) {
                defaultStalled = false;
                stallGeneration++;
            } else if (fault instanceof Fault.Throttle t) {
                if (t.direction() != Direction.UPSTREAM_TO_CLIENT) {
                    defaultRateC2U = t.bytesPerSecond();
                }
                if (t.direction() != Direction.CLIENT_TO_UPSTREAM) {
                    defaultRateU2C = t.bytesPerSecond();
                }
            }
            // submitted under the lock, so that concurrent proxy-wide faults reach each loop in one order
            for (ProxiedConnection c : live) {
                applied.add(c.submit(each, false));
            }
        }
        return applied;
    }

    /** The end of a timed proxy-wide stall; on an event loop. */
    private void endStall(long generation, Collection<ProxiedConnection> live) {
        synchronized (lock) {
            if (stallGeneration != generation || closed.getAsBoolean()) {
                return;
            }
            defaultStalled = false;
            stallGeneration++;
            for (ProxiedConnection c : live) {
                c.submit(new Fault.Resume(), false);
            }
        }
    }

    /**
     * Applies the proxy-wide stall and rate limits to a new connection, then lists it as live with
     * {@code register}; on the connection's event loop. Both happen under the lock, so a proxy-wide
     * fault injected concurrently reaches the connection exactly once (through the defaults or
     * through the live list), and whoever finds it in the live list sees the faults applied.
     */
    void admit(ProxiedConnection c, Runnable register) {
        synchronized (lock) {
            if (defaultStalled) {
                c.submit(new Fault.Stall(null), true);
            }
            if (defaultRateC2U > 0) {
                c.submit(new Fault.Throttle(Direction.CLIENT_TO_UPSTREAM, defaultRateC2U), true);
            }
            if (defaultRateU2C > 0) {
                c.submit(new Fault.Throttle(Direction.UPSTREAM_TO_CLIENT, defaultRateU2C), true);
            }
            register.run();
        }
    }
}
