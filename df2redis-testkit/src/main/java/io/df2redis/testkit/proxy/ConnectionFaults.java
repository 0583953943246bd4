package io.df2redis.testkit.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.socket.SocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * How a {@link ProxiedConnection} applies its faults: a byte-exact or double-sided cut, a stall
 * (with its timed resume), a throttle per direction, and a fault armed at a byte count. Runs on
 * the connection's event loop only and changes the connection's event-loop-owned state.
 */
final class ConnectionFaults {
    /** How long the receiving side of a byte-exact cut may take to close after its FIN. */
    private static final long DRAIN_TIMEOUT_SECONDS = 5;
    private static final Logger LOG = LoggerFactory.getLogger(ProxiedConnection.class);

    private final ProxiedConnection conn;

    ConnectionFaults(ProxiedConnection conn) {
        this.conn = conn;
    }

    /** Applies {@code fault} now (event conn.loop). */
    void apply(Fault fault) {
        if (fault instanceof Fault.Cut c) {
            cutNow(c.deliver());
        } else if (fault instanceof Fault.Stall s) {
            stallNow(s);
        } else if (fault instanceof Fault.Resume) {
            resumeNow();
        } else if (fault instanceof Fault.Throttle t) {
            throttleNow(t);
        } else if (fault instanceof Fault.After a) {
            arm(a);
        } else {
            throw new IllegalArgumentException("unknown fault " + fault);
        }
    }

    private void cutNow(Direction deliver) {
        if (conn.ended) {
            return;
        }
        conn.proxy.faultInjected();
        if (deliver == null) {
            LOG.info("{}: {} cut (both sides reset)", conn.proxy, conn);
            conn.end();
            ProxiedConnection.rst(conn.client);
            ProxiedConnection.rst(conn.upstream);
            return;
        }
        Pump p = conn.pump(deliver);
        LOG.info("{}: {} cut at byte {} {} (its receiver gets a FIN after those bytes, its sender a reset)",
                conn.proxy, conn, p.forwarded, deliver);
        conn.end();
        Channel source = p.source();
        Channel sink = p.sink();
        ProxiedConnection.rst(source);
        if (sink == null || !sink.isActive()) {
            ProxiedConnection.rst(sink);
            return;
        }
        // the bytes forwarded so far are queued in the sink: the FIN goes after them, then the sink is
        // read (and discarded) until its peer closes, since closing a socket with unread input resets it
        sink.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> {
            if (!f.isSuccess() || !(sink instanceof SocketChannel sc) || !sc.isActive()) {
                sink.close();
            } else if (sc.isInputShutdown()) {
                sc.close();
            } else {
                sc.shutdownOutput();
            }
        });
        sink.config().setAutoRead(true);
        conn.loop.schedule(() -> ProxiedConnection.rst(sink), DRAIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    private void stallNow(Fault.Stall s) {
        if (conn.ended) {
            return;
        }
        if (!conn.stalled) {
            conn.stalled = true;
            conn.stalledView = true;
            conn.proxy.faultInjected();
            LOG.info("{}: {} stalled{}", conn.proxy, conn, s.duration() == null ? "" : " for " + s.duration());
        }
        long generation = ++conn.stallGeneration;
        if (s.duration() != null) {
            conn.loop.schedule(() -> {
                if (conn.stallGeneration == generation) {
                    resumeNow();
                }
            }, s.duration().toNanos(), TimeUnit.NANOSECONDS);
        }
        conn.pump();
    }

    private void resumeNow() {
        if (conn.ended) {
            return;
        }
        conn.stallGeneration++;
        if (conn.stalled) {
            conn.stalled = false;
            conn.stalledView = false;
            LOG.info("{}: {} resumed", conn.proxy, conn);
        }
        conn.pump();
    }

    private void throttleNow(Fault.Throttle t) {
        if (conn.ended) {
            return;
        }
        boolean changed = false;
        for (Pump p : new Pump[] {conn.c2u, conn.u2c}) {
            if ((t.direction() == null || t.direction() == p.direction) && p.rate != t.bytesPerSecond()) {
                p.setRate(t.bytesPerSecond());
                changed = true;
            }
        }
        if (changed && t.bytesPerSecond() > 0) {
            conn.proxy.faultInjected();
            LOG.info("{}: {} throttled to {} B/s {}", conn.proxy, conn, t.bytesPerSecond(),
                    t.direction() == null ? "each way" : t.direction());
        } else if (changed) {
            LOG.info("{}: {} unthrottled", conn.proxy, conn);
        }
        conn.pump();
    }

    private void arm(Fault.After a) {
        if (conn.ended) {
            return;
        }
        Pump p = conn.pump(a.direction());
        long at = a.bytes() > Long.MAX_VALUE - p.forwarded ? Long.MAX_VALUE : p.forwarded + a.bytes();
        p.triggers.add(new Pump.Trigger(at, a.then()));
        LOG.debug("{}: {} armed {} at byte {} {}", conn.proxy, conn, a.then(), at, a.direction());
        conn.pump();
    }
}
