package io.df2redis.sink.redis.internal.cluster;

import io.df2redis.protocol.net.HostAndPort;
import io.df2redis.protocol.resp.ArrayReply;
import io.df2redis.protocol.resp.BulkString;
import io.df2redis.protocol.resp.IntegerReply;
import io.df2redis.protocol.resp.MapReply;
import io.df2redis.protocol.resp.RespReplies;
import io.df2redis.protocol.resp.RespReply;
import io.df2redis.protocol.resp.SimpleString;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An immutable slot → master map, parsed from {@code CLUSTER SHARDS} (Redis 7+) or
 * {@code CLUSTER SLOTS}. A node announced without a usable address ({@code ?}, empty) is reached
 * at the address of the node that answered, as Redis documents for its own announcements.
 */
public final class ClusterTopology {
    private final HostAndPort[] owners;
    private final List<HostAndPort> masters;

    private ClusterTopology(HostAndPort[] owners) {
        this.owners = owners;
        Set<HostAndPort> m = new LinkedHashSet<>();
        for (HostAndPort n : owners) {
            if (n != null) {
                m.add(n);
            }
        }
        this.masters = List.copyOf(m);
    }

    /** A topology with no slot assigned. */
    public static ClusterTopology empty() {
        return new ClusterTopology(new HostAndPort[SlotHash.SLOTS]);
    }

    /** The master serving a slot, or null when no node serves it. */
    public HostAndPort owner(int slot) {
        return owners[slot];
    }

    /** Every master that serves at least one slot, in slot order of first appearance. */
    public List<HostAndPort> masters() {
        return masters;
    }

    /** Slots served by no master. */
    public int unassignedSlots() {
        int n = 0;
        for (HostAndPort a : owners) {
            if (a == null) {
                n++;
            }
        }
        return n;
    }

    /** This topology with one slot moved (a {@code MOVED} redirect). */
    public ClusterTopology withSlot(int slot, HostAndPort node) {
        if (node.equals(owners[slot])) {
            return this;
        }
        HostAndPort[] o = owners.clone();
        o[slot] = node;
        return new ClusterTopology(o);
    }

    /**
     * Parses a {@code CLUSTER SHARDS} reply: shards of {@code slots [start end …]} and
     * {@code nodes [ {id, port, tls-port, ip, endpoint, role, health, …} … ]}.
     *
     * @param answeredBy the node that answered (for nodes announced without an address)
     * @param tls whether to use each node's {@code tls-port}
     */
    public static ClusterTopology fromShards(RespReply reply, HostAndPort answeredBy, boolean tls) {
        HostAndPort[] owners = new HostAndPort[SlotHash.SLOTS];
        for (RespReply shard : elements(reply, "CLUSTER SHARDS")) {
            Map<String, RespReply> s = fields(shard);
            HostAndPort master = null;
            for (RespReply node : elements(s.get("nodes"), "shard nodes")) {
                Map<String, RespReply> n = fields(node);
                if (!"master".equals(text(n.get("role"))) || "failed".equals(text(n.get("health")))) {
                    continue;
                }
                long port = tls && n.containsKey("tls-port") ? number(n.get("tls-port")) : number(n.get("port"));
                if (port <= 0) {
                    port = number(n.get("port"));
                }
                String host = usable(text(n.get("endpoint")));
                if (host == null) {
                    host = usable(text(n.get("ip")));
                }
                master = new HostAndPort(host == null ? answeredBy.host() : host, (int) port);
            }
            List<RespReply> slots = elements(s.get("slots"), "shard slots");
            if (master == null) {
                continue;
            }
            for (int i = 0; i + 1 < slots.size(); i += 2) {
                assign(owners, number(slots.get(i)), number(slots.get(i + 1)), master);
            }
        }
        return new ClusterTopology(owners);
    }

    /** Parses a {@code CLUSTER SLOTS} reply: {@code [start, end, [host, port, id, …], replicas…]…}. */
    public static ClusterTopology fromSlots(RespReply reply, HostAndPort answeredBy) {
        HostAndPort[] owners = new HostAndPort[SlotHash.SLOTS];
        for (RespReply range : elements(reply, "CLUSTER SLOTS")) {
            List<RespReply> r = elements(range, "slot range");
            if (r.size() < 3) {
                throw new IllegalArgumentException("CLUSTER SLOTS range without a master: " + range);
            }
            List<RespReply> m = elements(r.get(2), "slot master");
            if (m.size() < 2) {
                throw new IllegalArgumentException("CLUSTER SLOTS master without host and port: " + r.get(2));
            }
            String host = m.isEmpty() ? null : usable(text(m.get(0)));
            HostAndPort master = new HostAndPort(host == null ? answeredBy.host() : host, (int) number(m.get(1)));
            assign(owners, number(r.get(0)), number(r.get(1)), master);
        }
        return new ClusterTopology(owners);
    }

    private static void assign(HostAndPort[] owners, long from, long to, HostAndPort n) {
        if (from < 0 || to >= SlotHash.SLOTS || from > to) {
            throw new IllegalArgumentException("bad slot range " + from + "-" + to);
        }
        for (long s = from; s <= to; s++) {
            owners[(int) s] = n;
        }
    }

    private static String usable(String host) {
        return host == null || host.isEmpty() || host.equals("?") ? null : host;
    }

    private static List<RespReply> elements(RespReply r, String what) {
        if (r instanceof ArrayReply a) {
            return a.elements();
        }
        throw new IllegalArgumentException(what + ": expected an array, got " + r);
    }

    private static Map<String, RespReply> fields(RespReply r) {
        Map<String, RespReply> out = new java.util.HashMap<>();
        if (r instanceof MapReply m) {
            for (Map.Entry<RespReply, RespReply> e : m.entries()) {
                out.put(text(e.getKey()), e.getValue());
            }
            return out;
        }
        List<RespReply> kv = elements(r, "field list");
        for (int i = 0; i + 1 < kv.size(); i += 2) {
            out.put(text(kv.get(i)), kv.get(i + 1));
        }
        return out;
    }

    private static String text(RespReply r) {
        return r == null ? null : RespReplies.text(r);
    }

    private static long number(RespReply r) {
        if (r instanceof IntegerReply i) {
            return i.value();
        }
        String t = text(r);
        if (t == null) {
            return -1;
        }
        try {
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** For logs: masters and how many slots each serves. */
    @Override
    public String toString() {
        Map<HostAndPort, Integer> count = new java.util.LinkedHashMap<>();
        for (HostAndPort a : owners) {
            if (a != null) {
                count.merge(a, 1, Integer::sum);
            }
        }
        List<String> parts = new ArrayList<>();
        count.forEach((a, c) -> parts.add(a + "=" + c));
        return "cluster" + parts + (unassignedSlots() > 0 ? " unassigned=" + unassignedSlots() : "");
    }
}
