package io.df2redis.testkit.redis;

import io.df2redis.protocol.resp.ArrayReply;
import io.df2redis.protocol.resp.BulkString;
import io.df2redis.protocol.resp.IntegerReply;
import io.df2redis.protocol.resp.RespReplies;
import io.df2redis.protocol.resp.RespReply;
import io.df2redis.protocol.resp.SimpleString;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Redis Cluster of {@code n} masters (no replicas) on loopback ports, each a
 * {@link RedisServerProcess}: slots are split evenly with {@code CLUSTER ADDSLOTSRANGE}, the nodes
 * are joined with {@code CLUSTER MEET} and the cluster is returned once every node reports
 * {@code cluster_state:ok} with all 16384 slots assigned. Needs redis-server 7.0+. Also drives slot
 * migrations (the {@code SETSLOT IMPORTING/MIGRATING}, {@code MIGRATE}, {@code SETSLOT NODE}
 * sequence), so tests can provoke {@code ASK} and {@code MOVED}.
 */
public final class RedisClusterProcess implements AutoCloseable {
    private static final int SLOTS = 16384;

    private final List<RedisServerProcess> nodes;
    private final List<String> ids;

    private RedisClusterProcess(List<RedisServerProcess> nodes, List<String> ids) {
        this.nodes = nodes;
        this.ids = ids;
    }

    /** Starts {@code masters} nodes and forms the cluster. */
    public static RedisClusterProcess start(int masters, String... extraArgs) throws Exception {
        List<RedisServerProcess> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < masters; i++) {
                List<String> args = new ArrayList<>(List.of("--cluster-enabled", "yes", "--cluster-config-file",
                        "nodes.conf", "--cluster-node-timeout", "3000", "--cluster-port",
                        Integer.toString(freePort())));
                args.addAll(List.of(extraArgs));
                nodes.add(RedisServerProcess.start(args.toArray(String[]::new)));
            }
            List<String> ids = new ArrayList<>();
            for (RedisServerProcess n : nodes) {
                ids.add(text(n.call("CLUSTER", "MYID")));
            }
            for (int i = 0; i < masters; i++) {
                int from = i * SLOTS / masters;
                int to = (i + 1) * SLOTS / masters - 1;
                nodes.get(i).call("CLUSTER", "ADDSLOTSRANGE", from, to);
            }
            for (int i = 1; i < masters; i++) {
                nodes.get(0).call("CLUSTER", "MEET", "127.0.0.1", nodes.get(i).port(), busPort(nodes.get(i)));
            }
            RedisClusterProcess c = new RedisClusterProcess(nodes, ids);
            c.awaitConverged(Duration.ofSeconds(30));
            return c;
        } catch (Exception | Error e) {
            for (RedisServerProcess n : nodes) {
                n.close();
            }
            throw e;
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static int busPort(RedisServerProcess n) {
        RespReply r = n.call("CONFIG", "GET", "cluster-port");
        return Integer.parseInt(text(((ArrayReply) r).elements().get(1)));
    }

    /** Waits until every node sees the same complete slot map and {@code cluster_state:ok}. */
    public void awaitConverged(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            boolean ok = true;
            String first = null;
            for (RedisServerProcess n : nodes) {
                String info = text(n.call("CLUSTER", "INFO"));
                String map = slotMap(n).toString();
                ok &= info.contains("cluster_state:ok") && info.contains("cluster_slots_assigned:16384")
                        && info.contains("cluster_known_nodes:" + nodes.size());
                ok &= first == null || first.equals(map);
                first = first == null ? map : first;
                last = info;
            }
            if (ok) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("Redis Cluster did not converge; last CLUSTER INFO: " + last);
    }

    /** The nodes, in slot-range order at start. */
    public List<RedisServerProcess> nodes() {
        return nodes;
    }

    /** A node's cluster id. */
    public String nodeId(int node) {
        return ids.get(node);
    }

    /** {@code 127.0.0.1:port} of the first node (any node serves as a seed). */
    public String seed() {
        return nodes.get(0).address();
    }

    /** Every node's {@code 127.0.0.1:port}. */
    public List<String> addresses() {
        return nodes.stream().map(RedisServerProcess::address).toList();
    }

    /** The slot of a key, as the cluster computes it. */
    public int slot(Object key) {
        return (int) ((IntegerReply) nodes.get(0).call("CLUSTER", "KEYSLOT", key)).value();
    }

    /** The index of the node that serves a slot, in node 0's view. */
    public int owner(int slot) {
        List<Integer> map = slotMap(nodes.get(0));
        return map.get(slot);
    }

    /** Runs a command on the node serving {@code key}. */
    public RespReply call(Object key, Object... args) {
        return nodes.get(owner(slot(key))).call(args);
    }

    /** Keys in all masters (sum of DBSIZE). */
    public long dbsize() {
        long n = 0;
        for (RedisServerProcess p : nodes) {
            n += ((IntegerReply) p.call("DBSIZE")).value();
        }
        return n;
    }

    /** FLUSHALL on every master. */
    public void flushAll() {
        for (RedisServerProcess p : nodes) {
            p.call("FLUSHALL");
        }
    }

    /**
     * Moves a slot from its owner to node {@code to} in one go (see {@link #beginMigration}).
     * {@code midway} runs while the slot is importing/migrating and no key has moved yet.
     */
    public void migrateSlot(int slot, int to, Runnable midway) throws InterruptedException {
        Migration m = beginMigration(slot, to);
        if (midway != null) {
            midway.run();
        }
        m.moveKeys(Integer.MAX_VALUE);
        m.finish();
    }

    /**
     * Starts moving a slot from its owner to node {@code to}: {@code CLUSTER SETSLOT … IMPORTING} on
     * the target, {@code … MIGRATING} on the source. From then on the source answers commands for
     * keys it still holds and {@code ASK}-redirects the others; after {@link Migration#finish} every
     * node assigns the slot to the target and the source answers {@code MOVED}.
     */
    public Migration beginMigration(int slot, int to) {
        int from = owner(slot);
        if (from == to) {
            throw new IllegalArgumentException("slot " + slot + " is already on node " + to);
        }
        nodes.get(to).call("CLUSTER", "SETSLOT", slot, "IMPORTING", ids.get(from));
        nodes.get(from).call("CLUSTER", "SETSLOT", slot, "MIGRATING", ids.get(to));
        return new Migration(slot, from, to);
    }

    /** A slot migration in progress. */
    public final class Migration {
        private final int slot;
        private final int from;
        private final int to;

        private Migration(int slot, int from, int to) {
            this.slot = slot;
            this.from = from;
            this.to = to;
        }

        /** Moves up to {@code max} keys of the slot with {@code MIGRATE}; returns how many moved. */
        public int moveKeys(int max) {
            RedisServerProcess src = nodes.get(from);
            int moved = 0;
            while (moved < max) {
                List<RespReply> keys = ((ArrayReply) src.call("CLUSTER", "GETKEYSINSLOT", slot,
                        Math.min(100, max - moved))).elements();
                if (keys.isEmpty()) {
                    break;
                }
                List<Object> cmd = new ArrayList<>(List.of("MIGRATE", "127.0.0.1", nodes.get(to).port(), "", 0,
                        10000, "KEYS"));
                for (RespReply k : keys) {
                    cmd.add(((BulkString) k).value());
                }
                src.call(cmd.toArray());
                moved += keys.size();
            }
            return moved;
        }

        /** Moves the remaining keys and assigns the slot to the target on every node. */
        public void finish() throws InterruptedException {
            moveKeys(Integer.MAX_VALUE);
            nodes.get(to).call("CLUSTER", "SETSLOT", slot, "NODE", ids.get(to));
            nodes.get(from).call("CLUSTER", "SETSLOT", slot, "NODE", ids.get(to));
            for (int i = 0; i < nodes.size(); i++) {
                if (i != from && i != to) {
                    nodes.get(i).call("CLUSTER", "SETSLOT", slot, "NODE", ids.get(to));
                }
            }
            awaitConverged(Duration.ofSeconds(30));
        }
    }

    /** slot → node index, from a node's {@code CLUSTER SLOTS}; -1 where unassigned. */
    private List<Integer> slotMap(RedisServerProcess n) {
        Integer[] owner = new Integer[SLOTS];
        java.util.Arrays.fill(owner, -1);
        for (RespReply range : ((ArrayReply) n.call("CLUSTER", "SLOTS")).elements()) {
            List<RespReply> r = ((ArrayReply) range).elements();
            int from = (int) ((IntegerReply) r.get(0)).value();
            int to = (int) ((IntegerReply) r.get(1)).value();
            int port = (int) ((IntegerReply) ((ArrayReply) r.get(2)).elements().get(1)).value();
            int idx = -1;
            for (int i = 0; i < nodes.size(); i++) {
                if (nodes.get(i).port() == port) {
                    idx = i;
                }
            }
            for (int s = from; s <= to; s++) {
                owner[s] = idx;
            }
        }
        return java.util.Arrays.asList(owner);
    }

    /** The reply's text ({@link RespReplies#text}), or its description when it has none. */
    private static String text(RespReply r) {
        String t = RespReplies.text(r);
        return t != null ? t : String.valueOf(r);
    }

    @Override
    public void close() throws Exception {
        Exception first = null;
        for (RedisServerProcess n : nodes) {
            try {
                n.close();
            } catch (Exception e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
