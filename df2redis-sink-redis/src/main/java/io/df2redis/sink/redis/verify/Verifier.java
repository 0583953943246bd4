package io.df2redis.sink.redis.verify;

import io.df2redis.sink.redis.KeyFilter;

import io.df2redis.protocol.resp.RespReply;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Compares a source keyspace (a Dragonfly master, or any Redis) with a target (Redis standalone or
 * Cluster, or a Dragonfly) key by key — type, value, expiry within a tolerance — and reports every
 * difference by key, or checks the target against the digest a {@link SyncRecorder} took of a
 * sync's snapshot.
 *
 * <p>Memory is bounded whatever the dataset: the source is {@code SCAN}ned db by db (each master
 * of a cluster) in batches of {@link VerifyOptions#scanCount()}; each batch is compared with a
 * fixed number of pipelined round trips per side (type and TTL, lengths, whole small values),
 * then forgotten. Values longer than the chunk sizes are compared in ranges ({@code GETRANGE},
 * {@code LRANGE}, {@code ZRANGE}, {@code SSCAN}/{@code HSCAN} against {@code SISMEMBER}/
 * {@code HMGET} on the target, {@code XRANGE}, {@code XPENDING}). Then the target is scanned for
 * keys the source lacks ({@code EXISTS} on the source, pipelined per batch).
 *
 * <p>Moving data: a key found different (or unexpected) is re-checked once after
 * {@link VerifyOptions#recheckDelay()} and reported only if it still differs, so keys that expire,
 * are deleted or written during the scan do not raise false alarms (they are counted as
 * {@linkplain Report#transientDifferences() transient} or {@linkplain Report#vanished() vanished});
 * a key whose source TTL is within the tolerance and that the target already expired is not
 * missing. A key written continuously can still differ twice in a row and be reported. SCAN may
 * return a key twice, which then is compared twice.
 *
 * <p>Streams are compared fully ({@link StreamCompare}); JSON with {@code JSON.GET} when both
 * sides answer it; other module types with {@code DUMP} when both sides are Redis. Values that
 * cannot be compared are listed in {@link Report#notCompared()} by reason, never silently
 * skipped (their type and TTL are compared).
 *
 * <p>Not thread-safe; one verification at a time. Close it to release the connections.
 */
public final class Verifier implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Verifier.class);

    private final EventLoopGroup group;
    private final Side source;
    private final Side target;
    private final VerifyOptions options;

    private Verifier(VerifyEndpoint source, VerifyEndpoint target, VerifyOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.group = new NioEventLoopGroup(1);
        Side s = null;
        try {
            s = source == null ? null : new Side("source", source, group, options.timeout());
            this.target = new Side("target", Objects.requireNonNull(target, "target"), group, options.timeout());
            this.source = s;
        } catch (RuntimeException e) {
            if (s != null) {
                s.close();
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    /**
     * Connects to both sides.
     *
     * @param source the server replicated from (Dragonfly or Redis)
     * @param target the server replicated into (Redis, a Redis Cluster or Dragonfly)
     * @param options how to compare
     * @return the verifier, connected to both; close it when done
     * @throws VerifyException when either side is unreachable or rejects AUTH (the message names
     *     the side)
     */
    public static Verifier connect(VerifyEndpoint source, VerifyEndpoint target, VerifyOptions options) {
        return new Verifier(Objects.requireNonNull(source, "source"), target, options);
    }

    /**
     * Connects to the target only: for {@link #verify(SyncRecorder)} without a source (keys changed
     * by live writes are then counted as not compared).
     *
     * @param target the server replicated into
     * @param options how to compare
     * @return the verifier, connected to the target; close it when done
     * @throws VerifyException when the target is unreachable or rejects AUTH
     */
    public static Verifier connectTarget(VerifyEndpoint target, VerifyOptions options) {
        return new Verifier(null, target, options);
    }

    /** Run state: counts and differences. */
    private final class Run {
        long sourceKeys;
        long targetKeys;
        long compared;
        long vanished;
        long transientDiffs;
        long changedByLive;
        long notRecorded;
        final List<Difference> differences = new ArrayList<>();
        final Map<String, Long> notes = new TreeMap<>();
        boolean stopped;

        void add(Difference d) {
            if (differences.size() < options.maxDifferences()) {
                differences.add(d);
            }
            if (differences.size() >= options.maxDifferences()) {
                stopped = true;
            }
        }

        void note(String reason) {
            notes.merge(reason, 1L, Long::sum);
        }

        Report report() {
            return new Report(sourceKeys, targetKeys, compared, differences, notes, vanished, transientDiffs,
                    changedByLive, notRecorded, !stopped);
        }
    }

    /**
     * Compares the source with the target (both directions): every source key on the target, then
     * target keys the source lacks.
     *
     * @return the outcome
     * @throws IllegalStateException when this verifier has no source ({@link #connectTarget})
     * @throws VerifyException when a side fails during the run
     */
    public Report verify() {
        if (source == null) {
            throw new IllegalStateException("no source: use verify(SyncRecorder) or connect(source, target, …)");
        }
        Run run = new Run();
        LiveCheck live = new LiveCheck(source, target, options);
        for (int db : dbs()) {
            if (!options.keyFilter().passesDb(db)) {
                continue;
            }
            source.select(db);
            target.select(db);
            if (!scan(source, run, keys -> {
                run.sourceKeys += options.keyFilter().passesAll() ? keys.size()
                        : keys.stream().filter(k -> options.keyFilter().passes(db, k)).count();
                compareLive(live, db, keys, run);
            }) || !scan(target, run, keys -> {
                unexpected(db, keys, run);
            })) {
                return run.report();
            }
            LOG.debug("db {} verified: {} source keys so far, {} differences", db, run.sourceKeys,
                    run.differences.size());
        }
        return run.report();
    }

    /** SCANs every master of {@code side} (db already selected); false when the run stopped at the limit. */
    private boolean scan(Side side, Run run, java.util.function.Consumer<List<byte[]>> batch) {
        for (Side.Node node : side.masters) {
            String cursor = "0";
            do {
                List<RespReply> page = Values.array(side.ok(node, "SCAN", cursor, "COUNT", options.scanCount()));
                cursor = Values.text(page.get(0));
                List<byte[]> keys = Values.byteList(page.get(1));
                if (!keys.isEmpty()) {
                    batch.accept(keys);
                }
                if (run.stopped) {
                    return false;
                }
            } while (!cursor.equals("0"));
        }
        return true;
    }

    /**
     * Checks the target against the snapshot digest {@code recorder} took during a sync. Keys live
     * writes may have changed since are compared against the source instead (when this verifier
     * has one; else they are counted as not compared). Keys whose recorded expiry has passed are
     * counted as vanished.
     *
     * @param recorder the recorder that saw the sync's snapshot
     * @return the outcome
     * @throws VerifyException when a side fails during the run
     */
    public Report verify(SyncRecorder recorder) {
        Run run = new Run();
        run.notRecorded = recorder.notRecorded();
        LiveCheck live = source == null ? null : new LiveCheck(source, target, options);
        DigestCheck check = new DigestCheck(target, options);
        Iterator<KeyDigest> it = recorder.digests();
        List<KeyDigest> batch = new ArrayList<>(options.scanCount());
        List<byte[]> changed = new ArrayList<>();
        int db = -1;
        while (it.hasNext() && !run.stopped) {
            KeyDigest d = it.next();
            run.sourceKeys++;
            if (d.db() != db || batch.size() >= options.scanCount() || changed.size() >= options.scanCount()) {
                flushDigest(check, live, db, batch, changed, run);
                db = d.db();
            }
            if (recorder.maybeChanged(d.db(), d.key())) {
                run.changedByLive++;
                if (live != null) {
                    changed.add(d.key());
                } else {
                    run.note("changed by live writes: not compared (no source to compare against)");
                }
            } else if (d.expireAtMs() >= 0 && d.expireAtMs() <= System.currentTimeMillis() + options.ttlToleranceMs()) {
                run.vanished++;
            } else {
                batch.add(d);
            }
        }
        if (!run.stopped) {
            flushDigest(check, live, db, batch, changed, run);
        }
        return run.report();
    }

    private void flushDigest(DigestCheck check, LiveCheck live, int db, List<KeyDigest> batch, List<byte[]> changed,
                             Run run) {
        if (batch.isEmpty() && changed.isEmpty()) {
            return;
        }
        target.select(db);
        if (!batch.isEmpty()) {
            checkTwice(batch, b -> check.check(db, b), run);
            batch.clear();
        }
        if (!changed.isEmpty()) {
            source.select(db);
            compareLive(live, db, changed, run);
            changed.clear();
        }
    }

    /** Compares source keys that pass the key filter with their (renamed) target keys. */
    private void compareLive(LiveCheck live, int db, List<byte[]> keys, Run run) {
        KeyFilter f = options.keyFilter();
        if (!f.passesAll()) {
            keys = keys.stream().filter(k -> f.passes(db, k)).toList();
            if (keys.isEmpty()) {
                return;
            }
        }
        target.keyMap(f.renames() ? k -> f.rename(db, k) : null);
        try {
            checkTwice(keys, k -> live.compare(db, k), run);
        } finally {
            target.keyMap(null);
        }
    }

    /** Checks {@code items}, re-checks those that differ once after the delay, and folds both into the run. */
    private <T> void checkTwice(List<T> items, java.util.function.Function<List<T>, List<LiveCheck.Result>> check,
                                Run run) {
        List<LiveCheck.Result> first = check.apply(items);
        long firstAt = System.nanoTime();
        List<T> suspects = new ArrayList<>();
        List<Integer> at = new ArrayList<>();
        for (int i = 0; i < first.size(); i++) {
            if (!first.get(i).differences.isEmpty()) {
                suspects.add(items.get(i));
                at.add(i);
            }
        }
        List<LiveCheck.Result> again = suspects.isEmpty() ? List.of() : recheck(firstAt, () -> check.apply(suspects));
        merge(first, at, again, run);
    }

    /** Folds the first pass and the re-check of its differing keys into the run. */
    private void merge(List<LiveCheck.Result> first, List<Integer> at, List<LiveCheck.Result> again, Run run) {
        for (int i = 0, j = 0; i < first.size(); i++) {
            LiveCheck.Result r = first.get(i);
            if (j < at.size() && at.get(j) == i) {
                LiveCheck.Result second = again.get(j++);
                if (second.differences.isEmpty()) {
                    run.transientDiffs++;
                }
                r = second;
                second.compared |= first.get(i).compared;
            }
            if (r.compared) {
                run.compared++;
            }
            if (r.vanished) {
                run.vanished++;
            }
            if (r.note != null) {
                run.note(r.note);
            }
            r.differences.forEach(run::add);
        }
    }

    private <T> T recheck(long firstAtNanos, java.util.function.Supplier<T> again) {
        long waitMs = options.recheckDelay().toMillis() - (System.nanoTime() - firstAtNanos) / 1_000_000;
        if (waitMs > 0) {
            try {
                Thread.sleep(waitMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new VerifyException("interrupted", e);
            }
        }
        return again.get();
    }

    /** An ignored target key, or one of its per-slot keys {@code <name>:{<tag>}} (a cluster checkpoint). */
    private boolean ignored(String key) {
        if (options.ignoredTargetKeys().contains(key)) {
            return true;
        }
        int brace = key.lastIndexOf(":{");
        return brace > 0 && key.endsWith("}") && options.ignoredTargetKeys().contains(key.substring(0, brace));
    }

    /** Target keys the source lacks; each is re-checked once before it is reported. */
    private void unexpected(int db, List<byte[]> keys, Run run) {
        if (!options.ignoredTargetKeys().isEmpty()) {
            keys = keys.stream().filter(k -> !ignored(new String(k, java.nio.charset.StandardCharsets.UTF_8)))
                    .toList();
        }
        run.targetKeys += keys.size(); // the sink's checkpoint keys are not counted
        if (!options.keyFilter().reversible()) {
            run.note("target keys not checked for being unexpected: the key filter renames by a function");
            return;
        }
        List<byte[]> absent = absentOnSource(db, keys);
        if (absent.isEmpty()) {
            return;
        }
        long firstAt = System.nanoTime();
        List<byte[]> still = recheck(firstAt, () -> absentOnSource(db, absent));
        List<CompletableFuture<RespReply>> types = new ArrayList<>(still.size());
        for (byte[] k : still) {
            types.add(target.send(k, "TYPE", k));
        }
        run.transientDiffs += absent.size() - still.size();
        for (int i = 0; i < still.size(); i++) {
            String type = Values.text(target.get(types.get(i)));
            if (type.equals("none")) {
                run.transientDiffs++;
            } else {
                run.add(new Difference(db, io.df2redis.tools.inspect.JsonShapes.key(still.get(i)),
                        Difference.Kind.UNEXPECTED, type));
            }
        }
    }

    /**
     * The target keys no passing source key is written as: under the key filter, the source key a
     * target key comes from must pass and exist.
     */
    private List<byte[]> absentOnSource(int db, List<byte[]> keys) {
        KeyFilter f = options.keyFilter();
        List<CompletableFuture<RespReply>> exists = new ArrayList<>(keys.size());
        for (byte[] k : keys) {
            byte[] s = f.passesAll() ? k : f.sourceKey(db, k).filter(x -> f.passes(db, x)).orElse(null);
            exists.add(s == null ? null : source.send(s, "EXISTS", s));
        }
        List<byte[]> absent = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            if (exists.get(i) == null || Values.number(source.get(exists.get(i))) == 0) {
                absent.add(keys.get(i));
            }
        }
        return absent;
    }

    private List<Integer> dbs() {
        if (source.cluster() || target.cluster()) {
            if (!options.dbs().isEmpty() && !options.dbs().equals(List.of(0))) {
                throw new VerifyException("a Redis Cluster has only db 0; asked for dbs " + options.dbs());
            }
            return List.of(0);
        }
        if (!options.dbs().isEmpty()) {
            return options.dbs();
        }
        TreeSet<Integer> dbs = source.dbsWithKeys();
        dbs.addAll(target.dbsWithKeys());
        return new ArrayList<>(dbs);
    }

    /**
     * What the connected servers are.
     *
     * @return for each side its endpoint, Dragonfly or Redis, and the masters of a cluster
     */
    public String describe() {
        return (source == null ? "" : "source " + describe(source) + ", ") + "target " + describe(target);
    }

    private static String describe(Side s) {
        return s.endpoint + ": " + (s.redis ? "Redis" : "Dragonfly") + (s.cluster() ? " cluster of "
                + s.masters.size() + " masters" : "");
    }

    @Override
    public void close() {
        if (source != null) {
            source.close();
        }
        target.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
