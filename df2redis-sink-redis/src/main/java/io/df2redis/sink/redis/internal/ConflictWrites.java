package io.df2redis.sink.redis.internal;

import io.df2redis.protocol.resp.IntegerReply;
import io.df2redis.protocol.resp.NullReply;
import io.df2redis.protocol.resp.RespReply;
import io.df2redis.sink.redis.KeyConflictPolicy;
import io.df2redis.sink.redis.UnsupportedData;
import io.df2redis.sink.redis.internal.cluster.SlotHash;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static io.df2redis.sink.redis.internal.CommandSender.b;

/**
 * Snapshot writes that leave a key the target already holds alone ({@link KeyConflictPolicy}
 * {@code KEEP_TARGET} and {@code FAIL}), each check-and-write one atomic step on the target: a
 * whole string with {@code SET … NX}; any other entry built in a staging key of the same cluster slot,
 * then moved onto its name by {@link #MOVE_SCRIPT} ({@code RENAMENX}, and the entry's TTL only when
 * the name was free; else the staging key is deleted).
 *
 * <p>Staging keys are named {@code df2redis:staging:{<tag>}:<run>:<n>}: the tag puts them into the
 * slot of the key they stand for ({@link SlotCheckpoints#tag}), the run (random per process) and the
 * counter make them unique. Each write into one renews an expiry of {@link #STAGING_TTL_MS}, so one
 * left behind by a process that died half way disappears by itself.
 *
 * <p>Thread ownership: stateless but for the process-wide counter (atomic); the writes go through the
 * calling translator's {@link CommandSender}.
 */
final class ConflictWrites {
    /** Name prefix of staging keys. */
    static final String STAGING_PREFIX = "df2redis:staging:";
    /** Expiry of a staging key, renewed by each write into it: one day. */
    static final long STAGING_TTL_MS = 24L * 3600 * 1000;
    /**
     * KEYS[1] the staging key, KEYS[2] the key, ARGV[1] the entry's expiry (Unix ms) or 0 for none.
     * Returns 1 written, 0 the key was taken (staging key deleted), 2 nothing staged.
     */
    static final String MOVE_SCRIPT = "if redis.call('EXISTS', KEYS[1]) == 0 then return 2 end "
            + "if redis.call('RENAMENX', KEYS[1], KEYS[2]) == 0 then redis.call('DEL', KEYS[1]) return 0 end "
            + "if ARGV[1] ~= '0' then redis.call('PEXPIREAT', KEYS[2], ARGV[1]) "
            + "else redis.call('PERSIST', KEYS[2]) end return 1";
    private static final byte[] MOVE = b(MOVE_SCRIPT);
    private static final String RUN = Long.toHexString(new SecureRandom().nextLong() & Long.MAX_VALUE);
    private static final AtomicLong SEQ = new AtomicLong();

    private final CommandSender out;

    ConflictWrites(CommandSender out) {
        this.out = out;
    }

    /** A new staging key in the slot of {@code key}. */
    static byte[] stagingKey(byte[] key) {
        return (STAGING_PREFIX + "{" + SlotCheckpoints.tag(SlotHash.slot(key)) + "}:" + RUN + ":"
                + SEQ.incrementAndGet()).getBytes(StandardCharsets.US_ASCII);
    }

    /** {@code SET key value [PXAT expireAtMs] NX}; {@code expireAtMs} &lt; 0 for none. */
    void setIfAbsent(int db, byte[] key, byte[] value, long expireAtMs, String type) {
        List<byte[]> a = new ArrayList<>(6);
        a.add(b("SET"));
        a.add(key);
        a.add(value);
        if (expireAtMs >= 0) {
            a.add(b("PXAT"));
            a.add(b(Long.toString(expireAtMs)));
        }
        a.add(b("NX"));
        out.sendUnlessTaken(db, key, a, conflict(key, db, type), r -> r instanceof NullReply);
    }

    /** Renews the staging key's expiry (after a write into it). */
    void touchStaging(int db, byte[] staging) {
        out.cmd(db, staging, b("PEXPIRE"), staging, b(Long.toString(STAGING_TTL_MS)));
    }

    /** Moves the staged entry onto {@code key} unless it is taken; {@code expireAtMs} 0 for none. */
    void move(int db, byte[] staging, byte[] key, long expireAtMs, String type) {
        out.sendUnlessTaken(db, staging, List.of(b("EVAL"), MOVE, b("2"), staging, key, b(Long.toString(expireAtMs))),
                conflict(key, db, type), r -> r instanceof IntegerReply i && i.value() == 0);
    }

    /** Drops a staged entry that expired before it could be moved. */
    void drop(int db, byte[] staging) {
        out.cmd(db, staging, b("DEL"), staging);
    }

    private static UnsupportedData conflict(byte[] key, int db, String type) {
        return new UnsupportedData(key, db, type, UnsupportedData.REASON_KEY_CONFLICT);
    }
}
