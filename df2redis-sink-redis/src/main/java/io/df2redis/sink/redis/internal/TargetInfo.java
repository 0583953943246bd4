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
