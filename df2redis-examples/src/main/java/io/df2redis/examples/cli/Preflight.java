package io.df2redis.examples.cli;

import io.df2redis.examples.cli.ConnectionOptions.HostPort;
import io.df2redis.protocol.net.HostAndPort;
import io.df2redis.replica.AuthenticationException;
import io.df2redis.replica.Checkpoint;
import io.df2redis.replica.ConnectionException;
import io.df2redis.replica.ReplicationException;
import io.df2redis.sink.redis.FullSyncTargetPolicy;
import io.df2redis.sink.redis.KeyConflictPolicy;
import io.df2redis.sink.redis.RedisSink;
import io.df2redis.sink.redis.ServerIdentity;
import io.df2redis.sink.redis.ServerProbe;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The checks {@code replicate} and {@code migrate} run before replicating, with the same
 * credentials and TLS settings as the replication: the source answers and accepts the
 * credentials, is a Dragonfly, and how many keys it holds; every target node answers, is not the
 * source itself (same {@code master_replid}/{@code run_id} in {@code INFO}), and what it holds in
 * the dbs the sync writes, judged by the {@link FullSyncTargetPolicy}. A failure is a
 * {@link CliException} naming the side and what to do; nothing is written to either side.
 *
 * <p><b>With {@code replicate --checkpoint FILE}</b> the keys a target holds are not judged when
 * the run is expected to resume: the checkpoint ({@link RunCheckpoint#initial()}) holds positions
 * (it was not saved during a full sync), names the source's current {@code master_replid}, comes
 * from a source release that resumes (v1.16–v1.20, v1.31 on) and names the target's current
 * {@link RedisSink#identityOf} (same {@code run_id}s, same {@code --map-db}) — then those keys are what
 * earlier runs wrote. The replicator still decides: when it cannot resume after all (another flow
 * count, positions no longer in Dragonfly's backlog), its full sync applies the target policy, as
 * without a checkpoint. A checkpoint that would resume into a target holding no keys (in the dbs
 * written) while the source holds some is set aside: that target lost what the checkpoint says was
 * applied, and a full sync follows. In every other case the target is judged as without a
 * checkpoint, and a refusal says why the checkpoint does not spare the full sync.
 */
final class Preflight {
    /**
     * What the checks found.
     *
     * @param sourceKeys keys the source holds (all dbs), -1 when it cannot tell
     * @param sourceKeysWithoutTtl of those, keys without an expiry (they cannot vanish on their own)
     * @param targetKeys keys per db the target holds in the dbs the sync writes (summed over a cluster's masters)
     * @param resume whether the run is expected to resume from the checkpoint (with {@code --checkpoint})
     * @param fullSyncCause with {@code --checkpoint} and not {@code resume}: why a full sync follows; else null
     */
    record Outcome(long sourceKeys, long sourceKeysWithoutTtl, Map<Integer, Long> targetKeys, boolean resume,
                   String fullSyncCause) {
    }

    private final ConnectionOptions conn;
    private final RedisSink.Builder sink;
    private final FullSyncTargetPolicy policy;
    private final KeyConflictPolicy conflicts;
    private final PrintWriter err;
    private final boolean quiet;
    private final RunCheckpoint checkpoint;

    /**
     * @param checkpoint the {@code --checkpoint} file, or null without one
     */
    Preflight(ConnectionOptions conn, RedisSink.Builder sink, FullSyncTargetPolicy policy, KeyConflictPolicy conflicts,
              PrintWriter err, boolean quiet, RunCheckpoint checkpoint) {
        this.conn = conn;
        this.sink = sink;
        this.policy = policy;
        this.conflicts = conflicts;
        this.err = err;
        this.quiet = quiet;
        this.checkpoint = checkpoint;
    }

    /** Runs the checks; throws a {@link CliException} on the first that fails. */
    Outcome run() {
        HostPort src = conn.sourceAddress();
        ServerIdentity source;
        long keys = 0;
        long persistent = 0;
        boolean counted = false;
        try (ServerProbe p = conn.sourceProbe().connect()) {
            source = p.identity();
            if (!source.isDragonfly()) {
                throw new CliException(Df2RedisCli.USAGE, "the source " + src + " is not a Dragonfly (its INFO shows "
                        + source.describe() + " and no dragonfly_version): df2redis replicates from Dragonfly only. "
                        + "Check --source (were --source and --target swapped?)");
            }
            for (long[] n : p.keyspace().values()) {
                keys += n[0];
                persistent += n[0] - n[1];
                counted = true;
            }
        } catch (ReplicationException e) {
            throw failure("source", "Dragonfly", src, e);
        }
        Map<Integer, Long> held = new TreeMap<>();
        Map<HostPort, String> runIds = new LinkedHashMap<>();
        for (HostPort node : targetNodes()) {
            try (ServerProbe p = conn.targetProbe(node).connect()) {
                ServerIdentity target = p.identity();
                runIds.put(node, target.runId());
                if (source.sameServerAs(target)) {
                    throw new CliException(Df2RedisCli.USAGE, "the target " + node + " is the source Dragonfly " + src
                            + " itself (both report " + (source.hasReplicationId(target.replicationId())
                            ? "master_replid " + target.replicationId() : "run_id " + target.runId())
                            + "): replicating a server into itself would destroy its data. Nothing was written: "
                            + "point --target at another server");
                }
                p.keyspace().forEach((db, n) -> {
                    if (sink.writesTo(db)) {
                        held.merge(db, n[0], Long::sum);
                    }
                });
            } catch (ReplicationException e) {
                throw failure("target", conn.targetCluster ? "Redis Cluster node" : "Redis", node, e);
            }
        }
        if (checkpoint != null) {
            checkpoint.ownKeys().ifPresent(own -> held.computeIfPresent((int) own[0],
                    (d, n) -> n > own[1] ? n - own[1] : null));
        }
        String where = (conn.targetCluster ? "target Redis Cluster " : "target Redis ")
                + conn.targetAddresses().stream().map(HostPort::toString).collect(Collectors.joining(","));
        boolean resume = false;
        String cause = null;
        if (checkpoint != null) {
            Map<String, String> byNode = new LinkedHashMap<>();
            runIds.forEach((node, id) -> byNode.put(node.toString(), id));
            cause = fullSyncCause(source, RedisSink.identityOf(conn.targetCluster, byNode, sink.databaseMapping()),
                    held, counted ? keys : -1);
            resume = cause == null;
        }
        if (resume && !held.isEmpty()) {
            Checkpoint c = checkpoint.initial().orElseThrow();
            if (!quiet) {
                err.println("df2redis: the checkpoint " + checkpoint.where() + " (saved at " + c.savedAt() + ", next LSNs "
                        + ResumeCheck.lsns(c) + ") names this source and this target: the " + where + " keeps its "
                        + "keys (" + describe(held) + ", written by earlier runs). Should the source refuse the partial "
                        + "sync, the full sync applies --target-policy " + policyName());
                err.flush();
            }
        } else if (!held.isEmpty()) {
            String because = cause == null ? "" : cause + "; a full sync follows, and ";
            switch (policy) {
                case REFUSE_NON_EMPTY -> throw new CliException(Df2RedisCli.USAGE, because + "the " + where + " holds "
                        + "keys in the dbs the full sync writes: " + describe(held) + ". Nothing was written. Choose "
                        + "what to do with them: --target-policy flush deletes them first (FLUSHDB of those dbs; --force "
                        + "is the same), --target-policy upsert keeps them (the source's keys overwrite those of the same "
                        + "name); or empty the target, or use another one");
                case FLUSH -> {
                    err.println("df2redis: --target-policy flush: the full sync deletes (FLUSHDB) " + describe(held)
                            + " of the " + where);
                    err.flush();
                }
                default -> {
                    if (conflicts != KeyConflictPolicy.OVERWRITE && checkpoint != null
                            && checkpoint.initial().isPresent()) {
                        throw new CliException(Df2RedisCli.USAGE, because + "the " + where + " holds " + describe(held)
                                + ", among them the keys earlier runs wrote (the checkpoint " + checkpoint.where()
                                + " says so), which --on-conflict " + SyncOptions.optionValue(conflicts) + " cannot "
                                + "tell from the target's own: it would " + (conflicts == KeyConflictPolicy.KEEP_TARGET
                                    ? "keep their stale values" : "stop at the first") + ". Nothing was written. Use "
                                + "--on-conflict overwrite, or empty the target");
                    }
                    if (!quiet) {
                        err.println("df2redis: --target-policy upsert: the " + where + " keeps its keys ("
                                + describe(held) + "); " + switch (conflicts) {
                                    case OVERWRITE -> "the source's keys overwrite those of the same name";
                                    case KEEP_TARGET -> "where the source has a key of the same name, the target's is "
                                            + "kept (--on-conflict keep)";
                                    case FAIL -> "a source key of the same name stops the run (--on-conflict fail)";
                                });
                        err.flush();
                    }
                }
            }
        }
        return new Outcome(counted ? keys : -1, counted ? persistent : -1, held, resume, cause);
    }

    /**
     * With {@code --checkpoint}: why this run does a full sync — {@code --fresh}, no checkpoint, one
     * that {@link ResumeCheck} finds unusable against the source and target now, or one that would
     * resume into a target that holds no keys while the source holds some (then set aside) — or null
     * when it is expected to resume.
     */
    private String fullSyncCause(ServerIdentity source, String targetIdentity, Map<Integer, Long> held,
                                 long sourceKeys) {
        String file = checkpoint.where().toString();
        if (checkpoint.fresh()) {
            return "--fresh sets the checkpoint " + file + " aside";
        }
        Checkpoint c = checkpoint.initial().orElse(null);
        if (c == null) {
            return "there is no checkpoint in " + file + " yet";
        }
        // a checkpoint kept in the target is its own proof of identity: no run_id to compare
        String why = ResumeCheck.whyNot(c, source.replicationId(), -1, source.dragonflyVersion(),
                checkpoint.exact() ? null : Optional.of(targetIdentity));
        if (why == null && held.isEmpty() && sourceKeys > 0) {
            why = "it says the target holds what earlier runs applied, but the target holds no keys in the dbs the "
                    + "sync writes while the source holds " + CliFormat.count(sourceKeys) + " (was it emptied?)";
            checkpoint.setAside(why);
        }
        return why == null ? null : "the checkpoint " + file + " cannot be resumed: " + why;
    }

    /** {@code refuse (the run stops, …)}: the policy and what it does to the target's keys. */
    private String policyName() {
        return SyncOptions.optionValue(policy) + switch (policy) {
            case REFUSE_NON_EMPTY -> " (the run stops, exit 2, nothing written)";
            case FLUSH -> " (those keys are deleted first)";
            case UPSERT -> " (those keys are kept)";
        };
    }

    /** The target nodes to check: the one server, or every master of the cluster (found through a seed). */
    private List<HostPort> targetNodes() {
        List<HostPort> seeds = conn.targetAddresses();
        if (!conn.targetCluster) {
            return seeds;
        }
        ReplicationException last = null;
        HostPort lastSeed = null;
        for (HostPort seed : seeds) {
            try (ServerProbe p = conn.targetProbe(seed).connect()) {
                List<HostPort> out = new ArrayList<>();
                for (String m : p.clusterMasters(conn.targetUsesTls())) {
                    HostAndPort hp = HostAndPort.parse(m);
                    out.add(new HostPort(hp.host(), hp.port()));
                }
                if (out.isEmpty()) {
                    throw new CliException(Df2RedisCli.FAILURE, "the target Redis Cluster node " + seed
                            + " knows no master serving slots: is the cluster set up?");
                }
                return out;
            } catch (ReplicationException e) {
                last = e;
                lastSeed = seed;
            }
        }
        throw failure("target", "Redis Cluster node", lastSeed, last);
    }

    /** {@code db0: 1 key, db3: 12 keys}. */
    static String describe(Map<Integer, Long> keysByDb) {
        return keysByDb.entrySet().stream()
                .map(e -> "db" + e.getKey() + ": " + CliFormat.count(e.getValue()) + (e.getValue() == 1 ? " key" : " keys"))
                .collect(Collectors.joining(", "));
    }

    /**
     * A failure of one side as the user reads it: which side, what happened, which option to fix.
     *
     * @param side {@code source} or {@code target}
     * @param kind {@code Dragonfly}, {@code Redis}, {@code Redis Cluster node}
     */
    private CliException failure(String side, String kind, HostPort at, ReplicationException e) {
        boolean source = side.equals("source");
        String opt = "--" + side;
        String pw = source ? conn.sourcePassword() : conn.targetPassword();
        String user = source ? conn.sourceUser : conn.targetUser;
        String env = source ? ConnectionOptions.SOURCE_PASSWORD_ENV : ConnectionOptions.TARGET_PASSWORD_ENV;
        String who = side + " " + kind + " at " + at;
        if (e instanceof AuthenticationException) {
            if (pw == null) {
                return new CliException(Df2RedisCli.CONNECT, who + " requires a password: pass " + opt + "-password or "
                        + opt + "-password-file (or set env " + env + ")");
            }
            return new CliException(Df2RedisCli.CONNECT, "cannot connect to the " + who + ": it rejected "
                    + (user != null ? "user '" + user + "' with " : "") + "the password given with "
                    + (source ? conn.sourcePasswordOrigin() : conn.targetPasswordOrigin()) + " (" + serverError(e)
                    + "): check it" + (user != null ? " and " + opt + "-user" : ""));
        }
        if (e instanceof ConnectionException) {
            boolean tls = e.getMessage().startsWith("TLS");
            boolean usesTls = source ? conn.sourceUsesTls() : conn.targetUsesTls();
            Throwable c = e.getCause();
            String why = c != null && c.getMessage() != null ? c.getMessage() : e.getMessage();
            String hint = tls ? "; check " + opt + "-ca (the CA that signed its certificate) and the host name in "
                    + opt + " (it must be in the certificate), and whether it requires a client certificate ("
                    + opt + "-cert/" + opt + "-key)"
                    : usesTls ? "; check " + opt + ", that it speaks TLS there, and whether it requires a client "
                    + "certificate (" + opt + "-cert/" + opt + "-key)"
                    : "; check " + opt + " and that the server runs";
            return new CliException(Df2RedisCli.CONNECT, "cannot connect to the " + who + ": "
                    + (tls ? "the TLS handshake failed: " : "") + why + hint);
        }
        return new CliException(Df2RedisCli.FAILURE, "the " + who + " failed a check: " + e.getMessage());
    }

    /** The server's error reply quoted in an authentication failure (the part in parentheses). */
    private static String serverError(ReplicationException e) {
        String m = e.getMessage();
        int open = m.lastIndexOf('(');
        return open >= 0 && m.endsWith(")") ? m.substring(open + 1, m.length() - 1) : m.toLowerCase(Locale.ROOT);
    }
}
