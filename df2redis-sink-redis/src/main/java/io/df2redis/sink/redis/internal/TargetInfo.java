package io.df2redis.sink.redis.internal;

/**
 * What the target Redis can do, learnt at open from {@code INFO server} and {@code MODULE LIST}.
 *
 * @param major Redis major version
 * @param minor Redis minor version
 * @param json whether the ReJSON module is loaded
 * @param bloom whether the RedisBloom module is loaded
 */
public record TargetInfo(int major, int minor, boolean json, boolean bloom) {
    public boolean atLeast(int maj, int min) {
        return major > maj || (major == maj && minor >= min);
    }

    /** Hash-field TTL commands (HPEXPIREAT, HEXPIRE): Redis 7.4+. */
    public boolean hashFieldTtl() {
        return atLeast(7, 4);
    }

    /** The highest RDB version this Redis loads in RESTORE payloads. */
    public int rdbVersion() {
        if (atLeast(7, 4)) {
            return 12;
        }
        if (atLeast(7, 2)) {
            return 11;
        }
        if (atLeast(7, 0)) {
            return 10;
        }
        return 9;
    }

    /** Whether RESTORE understands an RDB value of this type byte. */
    public boolean restoreType(int type) {
        if (type >= 0 && type <= 5 || type >= 9 && type <= 15) {
            return true;
        }
        if (type >= 16 && type <= 19) {
            return atLeast(7, 0);
        }
        if (type == 20 || type == 21) {
            return atLeast(7, 2);
        }
        return false;
    }

    /** Whether this server can hold keys of a {@code TYPE} reply: core types, or module types whose module it has. */
    public boolean canHold(String typeReply) {
        return switch (typeReply) {
            case "string", "list", "set", "zset", "hash", "stream" -> true;
            case "ReJSON-RL" -> json;
            default -> bloom && (typeReply.startsWith("MBbloom") || typeReply.startsWith("TopK")
                    || typeReply.startsWith("CMSk"));
        };
    }

    /** Module names from a {@code MODULE LIST} reply: an array of maps (RESP3) or flat arrays (RESP2). */
    public static java.util.Set<String> moduleNames(io.df2redis.protocol.resp.RespReply r) {
        java.util.Set<String> out = new java.util.HashSet<>();
        if (r instanceof io.df2redis.protocol.resp.ArrayReply a) {
            for (io.df2redis.protocol.resp.RespReply m : a.elements()) {
                java.util.List<io.df2redis.protocol.resp.RespReply> kv = new java.util.ArrayList<>();
                if (m instanceof io.df2redis.protocol.resp.ArrayReply am) {
                    kv.addAll(am.elements());
                } else if (m instanceof io.df2redis.protocol.resp.MapReply mm) {
                    mm.entries().forEach(e -> {
                        kv.add(e.getKey());
                        kv.add(e.getValue());
                    });
                }
                for (int i = 0; i + 1 < kv.size(); i += 2) {
                    if ("name".equalsIgnoreCase(text(kv.get(i)))) {
                        out.add(text(kv.get(i + 1)));
                    }
                }
            }
        }
        return out;
    }

    private static String text(io.df2redis.protocol.resp.RespReply r) {
        String t = io.df2redis.protocol.resp.RespReplies.text(r);
        return t != null ? t : String.valueOf(r);
    }

    public static TargetInfo parse(String info, java.util.Set<String> moduleNames) {
        int maj = 0;
        int min = 0;
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("redis_version:")) {
                String[] p = line.substring("redis_version:".length()).trim().split("\\.");
                try {
                    maj = Integer.parseInt(p[0]);
                    min = p.length > 1 ? Integer.parseInt(p[1]) : 0;
                } catch (NumberFormatException ignored) {
                    // unknown: treated as oldest
                }
            }
        }
        java.util.Set<String> m = new java.util.HashSet<>();
        moduleNames.forEach(n -> m.add(n.toLowerCase(java.util.Locale.ROOT)));
        return new TargetInfo(maj, min, m.contains("rejson") || m.contains("json"),
                m.contains("bf") || m.contains("bloom") || m.contains("redisbloom"));
    }
}
