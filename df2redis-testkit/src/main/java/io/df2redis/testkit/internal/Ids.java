package io.df2redis.testkit.internal;

import java.security.SecureRandom;

/** Random 40-hex ids (master ids, eof tokens), as Dragonfly's {@code GetRandomHex(40)}. */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Ids() {
    }

    public static String hex40() {
        char[] c = new char[40];
        for (int i = 0; i < c.length; i++) {
            c[i] = HEX[RANDOM.nextInt(16)];
        }
        return new String(c);
    }
}
