package io.df2redis.testkit.proxy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Loosely decodes the commands at the start of a captured client byte stream: RESP arrays of bulk
 * strings ({@code *2\r\n$4\r\nPING\r\n...}) and inline commands ({@code PING\r\n}). Stops at the
 * first incomplete or unparseable command. Passwords are redacted: the last argument of
 * {@code AUTH} and the password after {@code AUTH <user>} in {@code HELLO}. Stateless.
 */
final class CapturedCommands {
    /** Replaces a password in the decoded commands. */
    static final String REDACTED = "<redacted>";
    private static final int MAX_ARGS = 1024;

    private CapturedCommands() {
    }

    /** The complete commands at the start of {@code bytes}, in order; empty when there is none. */
    static List<List<String>> parse(byte[] bytes) {
        List<List<String>> out = new ArrayList<>();
        int[] pos = {0};
        while (pos[0] < bytes.length) {
            List<String> cmd = bytes[pos[0]] == '*' ? array(bytes, pos) : inline(bytes, pos);
            if (cmd == null) {
                break;
            }
            if (!cmd.isEmpty()) {
                out.add(redact(cmd));
            }
        }
        return out;
    }

    private static List<String> array(byte[] b, int[] pos) {
        int p = pos[0];
        int eol = lineEnd(b, p);
        if (eol < 0) {
            return null;
        }
        long n = number(b, p + 1, eol);
        if (n < 0 || n > MAX_ARGS) {
            return null;
        }
        p = eol + 2;
        List<String> args = new ArrayList<>((int) n);
        for (int i = 0; i < n; i++) {
            if (p >= b.length || b[p] != '$') {
                return null;
            }
            eol = lineEnd(b, p);
            if (eol < 0) {
                return null;
            }
            long len = number(b, p + 1, eol);
            p = eol + 2;
            if (len < 0 || len > b.length - p - 2 || b[p + (int) len] != '\r' || b[p + (int) len + 1] != '\n') {
                return null;
            }
            args.add(new String(b, p, (int) len, StandardCharsets.UTF_8));
            p += (int) len + 2;
        }
        pos[0] = p;
        return args;
    }

    private static List<String> inline(byte[] b, int[] pos) {
        int p = pos[0];
        int nl = -1;
        for (int i = p; i < b.length; i++) {
            if (b[i] == '\n') {
                nl = i;
                break;
            }
            // text only: a control character (other than tab and the CR before LF) means binary data
            if ((b[i] < 0x20 && b[i] != '\t' && b[i] != '\r') || b[i] == 0x7f) {
                return null;
            }
        }
        if (nl < 0) {
            return null;
        }
        int end = nl > p && b[nl - 1] == '\r' ? nl - 1 : nl;
        String line = new String(b, p, end - p, StandardCharsets.UTF_8).trim();
        pos[0] = nl + 1;
        return line.isEmpty() ? List.of() : List.of(line.split("[ \t]+"));
    }

    /** Index of the CR of the first CRLF at or after {@code from}, or -1. */
    private static int lineEnd(byte[] b, int from) {
        for (int i = from; i + 1 < b.length; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** The decimal number in {@code b[from, to)}, or -1 when it is not one (or too long). */
    private static long number(byte[] b, int from, int to) {
        if (to <= from || to - from > 10) {
            return -1;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            if (b[i] < '0' || b[i] > '9') {
                return -1;
            }
            v = v * 10 + (b[i] - '0');
        }
        return v;
    }

    private static List<String> redact(List<String> cmd) {
        String name = cmd.get(0).toUpperCase(Locale.ROOT);
        List<String> out = new ArrayList<>(cmd);
        if (name.equals("AUTH") && out.size() >= 2) {
            out.set(out.size() - 1, REDACTED);
        } else if (name.equals("HELLO")) {
            for (int i = 1; i + 2 < out.size(); i++) {
                if (out.get(i).equalsIgnoreCase("AUTH")) {
                    out.set(i + 2, REDACTED);
                }
            }
        }
        return List.copyOf(out);
    }

    /** Whether one of {@code commands} starts with {@code args}, compared ignoring case. */
    static boolean anyStartsWith(List<List<String>> commands, String... args) {
        for (List<String> cmd : commands) {
            if (cmd.size() >= args.length) {
                boolean match = true;
                for (int i = 0; i < args.length && match; i++) {
                    match = cmd.get(i).equalsIgnoreCase(args[i]);
                }
                if (match) {
                    return true;
                }
            }
        }
        return false;
    }
}
