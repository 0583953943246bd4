package io.df2redis.protocol.resp;

/**
 * Redis glob-style patterns ({@code SCAN … MATCH}, {@code KEYS}), byte by byte and case
 * sensitive: {@code *} any run of bytes, {@code ?} one byte, {@code [abc]}, {@code [^abc]},
 * {@code [a-z]} (reversed ranges are swapped) a byte of a set, and {@code \x} the byte x itself.
 * An unterminated {@code [} set ends at the end of the pattern.
 */
public final class Glob {
    private Glob() {
    }

    /**
     * Whether {@code s} matches {@code pattern}.
     *
     * @param pattern the glob
     * @param s the key or text
     * @return true when it matches
     */
    public static boolean matches(byte[] pattern, byte[] s) {
        return match(pattern, 0, s, 0);
    }

    private static boolean match(byte[] p, int pi, byte[] s, int si) {
        while (pi < p.length) {
            byte c = p[pi];
            switch (c) {
                case '*': {
                    while (pi + 1 < p.length && p[pi + 1] == '*') {
                        pi++;
                    }
                    if (pi + 1 == p.length) {
                        return true;
                    }
                    for (int k = si; k <= s.length; k++) {
                        if (match(p, pi + 1, s, k)) {
                            return true;
                        }
                    }
                    return false;
                }
                case '?':
                    if (si >= s.length) {
                        return false;
                    }
                    si++;
                    pi++;
                    break;
                case '[': {
                    if (si >= s.length) {
                        return false;
                    }
                    int end = setEnd(p, pi + 1);
                    if (!inSet(p, pi + 1, end, s[si] & 0xFF)) {
                        return false;
                    }
                    si++;
                    pi = end < p.length ? end + 1 : end;
                    break;
                }
                case '\\':
                    if (pi + 1 < p.length) {
                        pi++;
                    }
                    // fall through: the escaped byte is a literal
                default:
                    if (si >= s.length || p[pi] != s[si]) {
                        return false;
                    }
                    si++;
                    pi++;
            }
        }
        return si == s.length;
    }

    /** Index of the {@code ]} closing a set whose content starts at {@code from} (or the pattern's length). */
    private static int setEnd(byte[] p, int from) {
        int i = from;
        if (i < p.length && p[i] == '^') {
            i++;
        }
        while (i < p.length && p[i] != ']') {
            if (p[i] == '\\' && i + 1 < p.length) {
                i++;
            }
            i++;
        }
        return i;
    }

    private static boolean inSet(byte[] p, int from, int end, int ch) {
        boolean not = from < end && p[from] == '^';
        int i = not ? from + 1 : from;
        boolean hit = false;
        while (i < end) {
            if (p[i] == '\\' && i + 1 < end) {
                hit |= (p[i + 1] & 0xFF) == ch;
                i += 2;
            } else if (i + 2 < end && p[i + 1] == '-') {
                int lo = p[i] & 0xFF;
                int hi = p[i + 2] & 0xFF;
                if (lo > hi) {
                    int t = lo;
                    lo = hi;
                    hi = t;
                }
                hit |= ch >= lo && ch <= hi;
                i += 3;
            } else {
                hit |= (p[i] & 0xFF) == ch;
                i++;
            }
        }
        return not != hit;
    }
}
