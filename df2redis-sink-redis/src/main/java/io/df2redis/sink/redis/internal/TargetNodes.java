package io.df2redis.sink.redis.internal;

import io.df2redis.protocol.resp.ErrorReply;
import io.df2redis.protocol.resp.RespReplies;
import io.df2redis.protocol.resp.RespReply;
import io.df2redis.replica.MasterInfo;
import io.df2redis.sink.redis.RedisCommandException;
import io.df2redis.sink.redis.SameServerException;
import io.df2redis.sink.redis.ServerIdentity;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Who the target nodes of a sink are, session after session: each node is probed at open
 * ({@code INFO server}, {@code INFO replication}, {@code MODULE LIST}), a node that is the source
 * itself is refused ({@link SameServerException}), and the {@code run_id} of every node is
 * remembered so that a node restarted since the previous session refuses a resume and the target
 * identity of a checkpoint changes.
 *
 * <p>Thread ownership: not thread-safe; its owner (the sink) calls every method under its own
 * lock, which guards {@code runIds}, {@code sessionNodeIds} and {@code resumeRefusal}.
 */
public final class TargetNodes {
    /** {@code run_id} of every target node as last seen, by address. */
    private final Map<String, String> runIds = new HashMap<>();
    /** Every node probed by the current session and its {@code run_id} (null when it reports none), by address. */
    private final Map<String, String> sessionNodes = new LinkedHashMap<>();
    /** Why the current session must not resume, or null. */
    private String resumeRefusal;

    /** Starts a session: forgets the nodes and the refusal of the previous one (not the run ids). */
    public void newSession() {
        resumeRefusal = null;
        sessionNodes.clear();
    }

    /**
     * Probes one node over {@code c} and records it for the session.
     *
     * @param master the source of the session (its replication id), or null
     * @return what the node can do
     * @throws SameServerException when the node is the source itself
     */
    public TargetInfo probe(TargetConnection c, MasterInfo master, Duration timeout) {
        String address = c.endpoint();
        RespReply server = c.call(timeout, "INFO", "server");
        if (server instanceof ErrorReply e) {
            throw new RedisCommandException(address, "INFO", null, 0, e.message());
        }
        String info = RespReplies.text(server);
        RespReply repl = c.call(timeout, "INFO", "replication");
        ServerIdentity id = ServerIdentity.parse(info + "\n" + (repl instanceof ErrorReply ? ""
                : RespReplies.text(repl)));
        noteRunId(address, id.runId());
        sessionNodes.put(address, id.runId());
        if (master != null && id.hasReplicationId(master.masterId())) {
            throw new SameServerException(address, "the target " + address + " is the source itself: its INFO "
                    + "shows " + id.describe() + ", the replication id of the source"
                    + (master.release().isEmpty() ? "" : " (" + master.release() + ")")
                    + "; writing the source's data into it would destroy it. Nothing was written: point the "
                    + "sink at another server");
        }
        return TargetInfo.parse(info, TargetInfo.moduleNames(c.call(timeout, "MODULE", "LIST")));
    }

    /**
     * Remembers the {@code run_id} of a node; one whose {@code run_id} changed since an earlier
     * session restarted in between, and may have lost writes it had confirmed, so a resume is refused.
     */
    private void noteRunId(String address, String runId) {
        if (runId == null || runId.isEmpty()) {
            return;
        }
        String before = runIds.put(address, runId);
        if (before != null && !before.equals(runId) && resumeRefusal == null) {
            resumeRefusal = "the target Redis " + address + " restarted since the sink's previous session (run_id "
                    + before + " is now " + runId + "), so it may no longer hold the writes it confirmed";
        }
    }

    /** Why the current session must not resume (a node restarted), if so. */
    public Optional<String> resumeRefusal() {
        return Optional.ofNullable(resumeRefusal);
    }

    /**
     * The target as a checkpoint names it: {@code redis run_id 5f0c…} or
     * {@code redis-cluster run_ids 1a…,9c… map-db 1:0}; empty before the first probe.
     *
     * @param cluster whether the target is a cluster
     * @param dbMap the sink's db mapping
     */
    public Optional<String> identity(boolean cluster, Map<Integer, Integer> dbMap) {
        if (sessionNodes.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(format(cluster, sessionNodes, dbMap));
    }

    /**
     * The identity format, the one place it is written: {@code redis run_id R} or
     * {@code redis-cluster run_ids R1,R2}, the ids sorted, a node without a {@code run_id} as
     * {@code address host:port}, then {@code map-db S:T,…} when dbs are mapped (sorted).
     *
     * @param runIdByNode every node ({@code host:port}) and its {@code run_id}, null or empty when none
     */
    public static String format(boolean cluster, Map<String, String> runIdByNode, Map<Integer, Integer> dbMap) {
        List<String> ids = runIdByNode.entrySet().stream()
                .map(e -> e.getValue() == null || e.getValue().isEmpty() ? "address " + e.getKey() : e.getValue())
                .sorted().toList();
        StringBuilder sb = new StringBuilder(cluster ? "redis-cluster run_ids " : "redis run_id ")
                .append(String.join(",", ids));
        if (!dbMap.isEmpty()) {
            sb.append(" map-db ").append(dbMap.entrySet().stream()
                    .sorted(Map.Entry.<Integer, Integer>comparingByKey().thenComparing(Map.Entry.comparingByValue()))
                    .map(e -> e.getKey() + ":" + e.getValue()).collect(Collectors.joining(",")));
        }
        return sb.toString();
    }
}
