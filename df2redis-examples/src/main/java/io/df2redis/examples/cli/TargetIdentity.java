package io.df2redis.examples.cli;

import io.df2redis.examples.cli.ConnectionOptions.HostPort;
import io.df2redis.replica.ConnectionException;
import io.df2redis.replica.ReplicationException;
import io.df2redis.sink.redis.ServerProbe;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The identity of the Redis target that {@code replicate --checkpoint} saves with every checkpoint
 * and compares on the next start: it changes exactly when the target may no longer hold what the
 * checkpoint says was applied. It is built from the {@code run_id} of every target node (random per
 * Redis process start: another server or a restarted one — which may have lost confirmed writes,
 * all of them without persistence — has another) and the {@code --map-db} pairs (other pairs write
 * other dbs). A node that reports no {@code run_id} is named by its address instead. Examples:
 * {@code redis run_id 5f0c…}, {@code redis-cluster run_ids 1a…,9c… map-db 1:0}. It holds no secret.
 * Stateless.
 */
final class TargetIdentity {
    private TargetIdentity() {
    }

    /**
     * The identity from what the nodes reported.
     *
     * @param conn the connection options (cluster or not, {@code --map-db})
     * @param runIds every target node (the one server, or every master of the cluster) and its
     *     {@code run_id}, null or empty when it reports none
     * @return the identity
     */
    static String of(ConnectionOptions conn, Map<HostPort, String> runIds) {
        List<String> ids = runIds.entrySet().stream()
                .map(e -> e.getValue() == null || e.getValue().isEmpty() ? "address " + e.getKey() : e.getValue())
                .sorted().toList();
        StringBuilder sb = new StringBuilder(conn.targetCluster ? "redis-cluster run_ids " : "redis run_id ")
                .append(String.join(",", ids));
        List<int[]> map = new ArrayList<>(conn.dbMapping());
        if (!map.isEmpty()) {
            map.sort((a, b) -> a[0] != b[0] ? Integer.compare(a[0], b[0]) : Integer.compare(a[1], b[1]));
            sb.append(" map-db ").append(map.stream().map(m -> m[0] + ":" + m[1]).collect(Collectors.joining(",")));
        }
        return sb.toString();
    }

    /**
     * Asks the target for its identity now: {@code INFO} of the one server, or of every master a
     * seed of the cluster names. Blocks (never call it on a Netty event loop).
     *
     * @param conn the connection options
     * @return the identity
     * @throws ReplicationException when a node cannot be reached or rejects the credentials (a
     *     {@link ConnectionException} makes the replicator reconnect)
     */
    static String probe(ConnectionOptions conn) {
        List<HostPort> nodes = conn.targetCluster ? clusterMasters(conn) : conn.targetAddresses();
        Map<HostPort, String> runIds = new java.util.LinkedHashMap<>();
        for (HostPort node : nodes) {
            try (ServerProbe p = conn.targetProbe(node).connect()) {
                runIds.put(node, p.identity().runId());
            }
        }
        return of(conn, runIds);
    }

    /** The masters of the target cluster, from the first seed that answers. */
    private static List<HostPort> clusterMasters(ConnectionOptions conn) {
        ReplicationException last = null;
        for (HostPort seed : conn.targetAddresses()) {
            try (ServerProbe p = conn.targetProbe(seed).connect()) {
                List<HostPort> out = p.clusterMasters(conn.targetUsesTls()).stream().map(TargetIdentity::node).toList();
                if (!out.isEmpty()) {
                    return out;
                }
                last = new ConnectionException("the target Redis Cluster node " + seed
                        + " knows no master serving slots");
            } catch (ReplicationException e) {
                last = e;
            }
        }
        throw last;
    }

    /** {@code host:port} or {@code [v6]:port} as a node reports it. */
    static HostPort node(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        String h = hostPort.substring(0, colon);
        return new HostPort(h.startsWith("[") ? h.substring(1, h.length() - 1) : h,
                Integer.parseInt(hostPort.substring(colon + 1)));
    }
}
