package io.df2redis.sink.redis;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who a Redis-protocol server is, from its {@code INFO server} and {@code INFO replication}
 * sections: enough to tell whether two addresses reach the same server (a source and a target
 * that are one process under two names), and whether it is a Dragonfly.
 *
 * @param redisVersion {@code redis_version} (Dragonfly reports a Redis version too), or null
 * @param dragonflyVersion {@code dragonfly_version} (e.g. {@code df-v1.40.1}), or null for a Redis
 * @param runId {@code run_id} (Redis: random per process start), or null
 * @param replicationId {@code master_replid} (Redis and Dragonfly: the replication id, random per
 *     process start; a Dragonfly master's equals the id its {@code REPLCONF capa dragonfly} reply
 *     names, {@code MasterInfo.masterId()}), or null
 */
public record ServerIdentity(String redisVersion, String dragonflyVersion, String runId, String replicationId) {
    private static final Pattern KEYS = Pattern.compile("^db(\\d+):keys=(\\d+)(?:,expires=(\\d+))?", Pattern.MULTILINE);

    /**
     * Parses the text of {@code INFO server} and {@code INFO replication} (in one string or concatenated).
     *
     * @param info the INFO text
     * @return the identity; fields the text lacks are null
     */
    public static ServerIdentity parse(String info) {
        Map<String, String> f = fields(info);
        return new ServerIdentity(f.get("redis_version"), f.get("dragonfly_version"), f.get("run_id"),
                f.get("master_replid"));
    }

    /**
     * Whether the server is a Dragonfly.
     *
     * @return true when {@code INFO server} has a {@code dragonfly_version}
     */
    public boolean isDragonfly() {
        return dragonflyVersion != null;
    }

    /**
     * Whether this server's replication id is {@code masterReplicationId} (the id a replication handshake named).
     *
     * @param masterReplicationId the id to compare with
     * @return true when both are known and equal
     */
    public boolean hasReplicationId(String masterReplicationId) {
        return replicationId != null && !replicationId.isEmpty() && replicationId.equals(masterReplicationId);
    }

    /**
     * Whether {@code other} is the same server: equal replication ids or equal run ids (both random
     * per process start, so equal values mean one process).
     *
     * @param other the identity of the other address
     * @return true when the two addresses reach one process
     */
    public boolean sameServerAs(ServerIdentity other) {
        return hasReplicationId(other.replicationId)
                || (runId != null && !runId.isEmpty() && runId.equals(other.runId));
    }

    /**
     * What identifies the server, for messages: {@code dragonfly_version df-v1.40.1, master_replid 1a2b…}.
     *
     * @return the known fields, comma separated; empty when none is known
     */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        if (dragonflyVersion != null) {
            sb.append("dragonfly_version ").append(dragonflyVersion);
        } else if (redisVersion != null) {
            sb.append("redis_version ").append(redisVersion);
        }
        if (replicationId != null) {
            sb.append(sb.length() > 0 ? ", " : "").append("master_replid ").append(replicationId);
        }
        if (runId != null) {
            sb.append(sb.length() > 0 ? ", " : "").append("run_id ").append(runId);
        }
        return sb.toString();
    }

    /**
     * Key counts per db from the text of {@code INFO keyspace} ({@code dbN:keys=…,expires=…}), or
     * empty when the text has no Keyspace section (then the server cannot tell this way).
     *
     * @param info the text of {@code INFO keyspace}
     * @return db → {@code {keys, keys with a TTL}} for the non-empty dbs, or empty
     */
    public static Optional<Map<Integer, long[]>> keyspace(String info) {
        if (!info.contains("# Keyspace") && !info.contains("#Keyspace")) {
            return Optional.empty();
        }
        Map<Integer, long[]> out = new LinkedHashMap<>();
        Matcher m = KEYS.matcher(info.replace("\r", ""));
        while (m.find()) {
            long keys = Long.parseLong(m.group(2));
            long expires = m.group(3) == null ? 0 : Long.parseLong(m.group(3));
            if (keys > 0) {
                out.put(Integer.parseInt(m.group(1)), new long[] {keys, expires});
            }
        }
        return Optional.of(out);
    }

    private static Map<String, String> fields(String info) {
        Map<String, String> f = new LinkedHashMap<>();
        for (String line : info.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("#")) {
                f.putIfAbsent(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
            }
        }
        return f;
    }
}
