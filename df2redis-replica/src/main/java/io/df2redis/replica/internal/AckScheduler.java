package io.df2redis.replica.internal;

import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * When the session acknowledges to Dragonfly: every flow's {@link FlowPipeline#ackTick} runs on its
 * channel's event loop every 100 ms (it writes {@code REPLCONF ACK} only when the confirmed
 * position moved or {@link io.df2redis.replica.ReplicatorOptions#ackInterval()} passed), at once when a pipeline asks
 * ({@link #ackSoon}, after a journal PING), and one last time when a session closes with a drain
 * ({@link #finalAcks}).
 *
 * <p>Thread ownership: {@code flows} and {@code tasks} are guarded by {@code this}; they are added
 * to by the supervisor thread ({@link #start}) and read by applier threads ({@link #ackSoon}) and
 * the closing thread ({@link #stop}, {@link #finalAcks}). After {@link #stop} nothing is scheduled
 * any more. The ACK itself is always written on the flow's event loop.
 */
final class AckScheduler {
    private static final Logger LOG = LoggerFactory.getLogger(AckScheduler.class);
    private static final long TICK_MS = 100;

    private record Flow(FlowPipeline pipeline, FlowConnection connection) {
    }

    private final List<Flow> flows = new ArrayList<>();
    private final List<ScheduledFuture<?>> tasks = new ArrayList<>();
    private boolean stopped;

    /** Starts the periodic ACKs of flow {@code p} (flows are started in order 0, 1, …). */
    synchronized void start(FlowPipeline p, FlowConnection fc) {
        if (stopped) {
            return;
        }
        flows.add(new Flow(p, fc));
        tasks.add(fc.channel().eventLoop().scheduleAtFixedRate(() -> p.ackTick(fc::writeAck), TICK_MS, TICK_MS,
                TimeUnit.MILLISECONDS));
    }

    /** Runs an ACK check of {@code flow} on its event loop as soon as possible (any thread). */
    void ackSoon(int flow) {
        Flow f;
        synchronized (this) {
            if (stopped || flow >= flows.size()) {
                return;
            }
            f = flows.get(flow);
        }
        Channel ch = f.connection().channel();
        if (ch != null) {
            ch.eventLoop().execute(() -> f.pipeline().ackTick(f.connection()::writeAck));
        }
    }

    /** Cancels the periodic ACKs. */
    void stop() {
        List<ScheduledFuture<?>> ts;
        synchronized (this) {
            stopped = true;
            ts = new ArrayList<>(tasks);
        }
        ts.forEach(t -> t.cancel(false));
    }

    /**
     * Writes the final ACK of every stable flow of {@code ps} (the applied position) and waits up to
     * two seconds for the writes to be handed to the sockets.
     */
    static void finalAcks(List<FlowPipeline> ps, List<FlowConnection> fcs) {
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        for (int i = 0; i < fcs.size(); i++) {
            FlowConnection fc = fcs.get(i);
            FlowPipeline p = ps.get(i);
            Channel ch = fc.channel();
            if (ch != null && p.isStable()) {
                CompletableFuture<Void> f = new CompletableFuture<>();
                ch.eventLoop().execute(() -> {
                    fc.writeAck(p.applied());
                    f.complete(null);
                });
                acks.add(f);
            }
        }
        try {
            CompletableFuture.allOf(acks.toArray(new CompletableFuture<?>[0])).get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("final ACKs not confirmed: {}", e.toString());
        }
    }
}
