package io.df2redis.protocol.rdb;

/**
 * Redis module ids (RDB type MODULE_2, MODULE_AUX): a 9-character module name in the upper 54
 * bits (6 bits a character) and the module's encoding version in the lower 10. Stateless.
 */
public final class ModuleIds {
    private ModuleIds() {
    }

    /** The 64 characters of module names, indexed by their 6-bit code in a module id. */
    private static final String MODULE_NAME_CHARSET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    /** The module id of a 9-character module name (charset A-Z a-z 0-9 - _) and encoding version (0..1023). */
    public static long moduleId(String name, int encodingVersion) {
        final String charset = MODULE_NAME_CHARSET;
        if (name.length() != 9) {
            throw new IllegalArgumentException("module names have 9 characters: " + name);
        }
        if (encodingVersion < 0 || encodingVersion > 1023) {
            throw new IllegalArgumentException("encoding version must be 0..1023: " + encodingVersion);
        }
        long id = 0;
        for (int i = 0; i < 9; i++) {
            int c = charset.indexOf(name.charAt(i));
            if (c < 0) {
                throw new IllegalArgumentException("invalid module name character in " + name);
            }
            id = (id << 6) | c;
        }
        return (id << 10) | encodingVersion;
    }

    /**
     * The 9-character module name encoded in the upper 54 bits of {@code moduleId} (the
     * inverse of {@link #moduleId(String, int)} without the encoding version).
     */
    public static String moduleName(long moduleId) {
        char[] name = new char[9];
        for (int i = 0; i < 9; i++) {
            name[i] = MODULE_NAME_CHARSET.charAt((int) ((moduleId >>> (64 - 6 * (i + 1))) & 63));
        }
        return new String(name);
    }

    /** The encoding version (0..1023) in the lower 10 bits of {@code moduleId}. */
    public static int encodingVersion(long moduleId) {
        return (int) (moduleId & 1023);
    }
}
