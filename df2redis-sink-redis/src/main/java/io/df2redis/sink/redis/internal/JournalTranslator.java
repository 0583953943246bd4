package io.df2redis.sink.redis.internal;

import io.df2redis.protocol.rdb.EntrySummary;
import io.df2redis.protocol.rdb.RdbDecoder;
import io.df2redis.protocol.rdb.RdbEncoder;
import io.df2redis.protocol.rdb.RdbEntry;
import io.df2redis.protocol.rdb.RdbHandler;
import io.df2redis.protocol.rdb.RdbOpcodes;
import io.df2redis.protocol.rdb.RdbRecords;
import io.df2redis.protocol.rdb.ValueBatch;
import io.df2redis.replica.JournalEvent;
import io.df2redis.sink.redis.UnsupportedData;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.df2redis.sink.redis.internal.CommandSender.b;
import static io.df2redis.sink.redis.internal.CommandSender.eq;
import static io.df2redis.sink.redis.internal.CommandSender.with;

/**
 * Translates journal commands for Redis: most run verbatim (routed per slot on a cluster,
 * {@link ClusterSplit}); Dragonfly-only forms are rewritten — {@code SET … STICK / _MCFLAGS n}
 * (tokens dropped), {@code STICK} (no-op), {@code RESTORE} (payload passed through when the target
 * understands its type and RDB version, otherwise decoded and written natively through the
 * {@link SnapshotTranslator}), {@code SADDEX}, {@code HSETEX}, {@code FIELDEXPIRE}, {@code PREPEND}
 * (an atomic script), module commands (when the target has the module); {@code FLUSHALL} and
 * {@code FLUSHDB} go to every master.
 *
 * <p>Thread ownership: confined to the thread applying the flow's current event (the owning
 * {@link FlowWriter}'s lock); stateless apart from its collaborators.
 */
final class JournalTranslator {
    private static final String PREPEND_SCRIPT =
            "local v = redis.call('GET', KEYS[1]) or '' "
                    + "local t = redis.call('PTTL', KEYS[1]) "
                    + "if t > 0 then redis.call('SET', KEYS[1], ARGV[1] .. v, 'PX', t) "
                    + "else redis.call('SET', KEYS[1], ARGV[1] .. v) end "
                    + "return string.len(ARGV[1] .. v)";

    private final CommandSender out;
    private final TargetInfo target;
    private final SnapshotTranslator snapshot;

    JournalTranslator(CommandSender out, TargetInfo target, SnapshotTranslator snapshot) {
        this.out = out;
        this.target = target;
        this.snapshot = snapshot;
    }

    void global(JournalEvent ev) {
        String name = ev.command();
        if (name.equals("FLUSHALL")) {
            // every db, whichever db the client had selected: no mapping (a cluster has db 0 only)
            out.broadcastTo(out.lane().cluster() ? 0 : out.dbs().target(ev.db(), null, false), name, ev.args());
        } else if (name.equals("FLUSHDB")) {
            if (out.dbs().merged(ev.db())) {
                out.unsupported(b("*"), ev.db(), name, UnsupportedData.REASON_FLUSH_OF_MERGED_DB);
            } else {
                out.broadcast(ev.db(), name, ev.args());
            }
        } else {
            out.unsupported(b("*"), ev.db(), name, UnsupportedData.REASON_UNSUPPORTED_COMMAND);
        }
    }

    void journal(JournalEvent ev) {
        List<byte[]> args = ev.args();
        if (args.isEmpty()) {
            return;
        }
        String name = ev.command();
        int d = ev.db();
        byte[] key = args.size() > 1 ? args.get(1) : null;
        switch (name) {
            case "SET" -> out.send(d, key, dropDragonflyTokens(args, 3));
            case "STICK" -> out.host().dfMaskIgnored();
            case "RESTORE" -> restore(d, dropDragonflyTokens(args, 4));
            case "SADDEX" -> {
                int i = 2;
                if (i < args.size() && eq(args.get(i), "KEEPTTL")) {
                    i++;
                }
                i++; // the TTL
                if (i < args.size()) {
                    out.send(d, key, with(List.of(b("SADD"), key), args.subList(i, args.size())));
                }
                out.unsupported(key, d, "set", UnsupportedData.REASON_MEMBER_TTL);
            }
            case "HSETEX" -> hsetex(d, key, args);
            case "FIELDEXPIRE" -> {
                if (target.hashFieldTtl() && args.size() > 3) {
                    List<byte[]> a = new ArrayList<>(List.of(b("HEXPIRE"), key, args.get(2), b("FIELDS"),
                            b(Integer.toString(args.size() - 3))));
                    a.addAll(args.subList(3, args.size()));
                    out.send(d, key, a);
                } else {
                    out.unsupported(key, d, name, UnsupportedData.REASON_FIELD_TTL);
                }
            }
            case "PREPEND" -> out.cmd(d, key, b("EVAL"), b(PREPEND_SCRIPT), b("1"), key, args.get(2));
            case "GAT", "CL.THROTTLE", "DFLYCLUSTER" ->
                    out.unsupported(key == null ? new byte[0] : key, d, name, UnsupportedData.REASON_UNSUPPORTED_COMMAND);
            default -> {
                if (name.startsWith("JSON.")) {
                    if (target.json()) {
                        out.send(d, key, args);
                    } else {
                        out.unsupported(key, d, name, UnsupportedData.REASON_NO_JSON_MODULE);
                    }
                } else if (name.startsWith("BF.") || name.startsWith("CF.") || name.startsWith("CMS.")
                        || name.startsWith("TOPK.")) {
                    if (target.bloom()) {
                        out.send(d, key, args);
                    } else {
                        out.unsupported(key, d, name, UnsupportedData.REASON_NO_BLOOM_MODULE);
                    }
                } else {
                    ClusterSplit.route(out, d, name, args);
                }
            }
        }
    }

    /** Drops Dragonfly-only {@code STICK} and {@code _MCFLAGS n} tokens at or after {@code from}. */
    private List<byte[]> dropDragonflyTokens(List<byte[]> args, int from) {
        List<byte[]> kept = null;
        for (int i = from; i < args.size(); i++) {
            byte[] a = args.get(i);
            boolean stick = eq(a, "STICK");
            boolean mc = eq(a, "_MCFLAGS");
            if (stick || mc) {
                if (kept == null) {
                    kept = new ArrayList<>(args.subList(0, i));
                }
                out.host().dfMaskIgnored();
                if (mc) {
                    i++;
                }
            } else if (kept != null) {
                kept.add(a);
            }
        }
        return kept == null ? args : kept;
    }

    private void hsetex(int d, byte[] key, List<byte[]> args) {
        int i = 2;
        boolean nx = false;
        while (i < args.size() && (eq(args.get(i), "NX") || eq(args.get(i), "KEEPTTL"))) {
            nx |= eq(args.get(i), "NX");
            i++;
        }
        byte[] ttl = args.get(i++);
        List<byte[]> fields = new ArrayList<>();
        if (nx) {
            for (int j = i; j + 1 < args.size(); j += 2) {
                out.cmd(d, key, b("HSETNX"), key, args.get(j), args.get(j + 1));
                fields.add(args.get(j));
            }
        } else {
            List<byte[]> a = new ArrayList<>(List.of(b("HSET"), key));
            for (int j = i; j + 1 < args.size(); j += 2) {
                a.add(args.get(j));
                a.add(args.get(j + 1));
                fields.add(args.get(j));
            }
            out.send(d, key, a);
        }
        if (target.hashFieldTtl()) {
            List<byte[]> a = new ArrayList<>(List.of(b("HEXPIRE"), key, ttl, b("FIELDS"),
                    b(Integer.toString(fields.size()))));
            a.addAll(fields);
            out.send(d, key, a);
        } else {
            out.unsupported(key, d, "HSETEX", UnsupportedData.REASON_FIELD_TTL);
        }
    }

    /**
     * {@code RESTORE key ttl payload [REPLACE] [ABSTTL] [IDLETIME s] [FREQ f]}: a payload of a type and
     * RDB version the target understands is passed through (Redis verifies its CRC); anything else
     * (Dragonfly-only types, newer encodings) is decoded and written with native commands.
     */
    private void restore(int d, List<byte[]> args) {
        byte[] key = args.get(1);
        byte[] payload = args.get(3);
        int type = payload.length > 0 ? payload[0] & 0xFF : -1;
        int version = payload.length >= 10
                ? (payload[payload.length - 10] & 0xFF) | (payload[payload.length - 9] & 0xFF) << 8 : -1;
        if (target.restoreType(type) && version >= 0 && version <= target.rdbVersion()) {
            out.send(d, key, args);
            return;
        }
        boolean absTtl = false;
        for (int i = 4; i < args.size(); i++) {
            absTtl |= eq(args.get(i), "ABSTTL");
        }
        long ttl = Long.parseLong(new String(args.get(2), StandardCharsets.US_ASCII));
        long expireAt = ttl <= 0 ? -1 : absTtl ? ttl : System.currentTimeMillis() + ttl;
        restoreNative(d, key, payload, version, expireAt);
    }

    /**
     * Decodes a {@code RESTORE} payload Redis cannot load and writes it natively: the payload
     * (type byte, value, 2-byte RDB version and 8-byte CRC) is framed as a one-entry RDB file with
     * {@link RdbEncoder} and fed to an {@link RdbDecoder} whose entries go through the snapshot path.
     */
    private void restoreNative(int d, byte[] key, byte[] payload, int version, long expireAt) {
        ByteBuf rdb = Unpooled.buffer(payload.length + key.length + 40);
        RdbEncoder.builder().rdbVersion(Math.max(1, version)).build().writeHeader(rdb);
        RdbRecords.writeSelectDb(rdb, d);
        if (expireAt >= 0) {
            RdbRecords.writeExpireTimeMs(rdb, expireAt);
        }
        rdb.writeByte(payload[0]); // the value type
        RdbRecords.writeRawString(rdb, key);
        rdb.writeBytes(payload, 1, payload.length - 11); // the value, without version and CRC
        rdb.writeByte(RdbOpcodes.EOF);
        rdb.writeLongLE(0); // no checksum
        byte[] bytes = new byte[rdb.readableBytes()];
        rdb.readBytes(bytes);
        RdbDecoder dec = RdbDecoder.forFile(new RdbHandler() {
            @Override
            public void onEntryStart(RdbEntry entry) {
                snapshot.entryStart(entry);
            }

            @Override
            public void onValueBatch(RdbEntry entry, ValueBatch batch) {
                snapshot.entryBatch(entry, batch);
            }

            @Override
            public void onEntryEnd(RdbEntry entry, EntrySummary summary) {
                snapshot.entryEnd(entry);
            }
        });
        snapshot.restoring(true);
        try {
            dec.feed(bytes, 0, bytes.length);
            dec.finish();
        } finally {
            snapshot.restoring(false);
        }
    }
}
