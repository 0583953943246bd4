package io.df2redis.examples.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The CLI's last line of defence for secrets: every password the CLI was given (options, password
 * files, environment) is registered here, and the CLI's output streams replace it with {@code ***}
 * wherever it appears — e.g. in a server error reply that echoes a command's arguments. Messages
 * are built without secrets in the first place; this only catches what a server or a library echoes.
 * Secrets shorter than {@value #MIN_LENGTH} characters are not scrubbed (they would mangle ordinary
 * output such as numbers). Thread-safe.
 */
final class Redactor {
    /** Shorter secrets are not scrubbed. */
    static final int MIN_LENGTH = 4;
    private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();

    private Redactor() {
    }

    /** Registers a secret to scrub from the CLI's output (null and short ones are ignored). */
    static void register(String secret) {
        if (secret != null && secret.length() >= MIN_LENGTH) {
            SECRETS.add(secret);
        }
    }

    /** {@code text} with every registered secret replaced by {@code ***}. */
    static String scrub(String text) {
        if (text == null || SECRETS.isEmpty()) {
            return text;
        }
        String out = text;
        List<String> longestFirst = SECRETS.stream().sorted(Comparator.comparingInt(String::length).reversed())
                .toList();
        for (String s : longestFirst) {
            if (out.contains(s)) {
                out = out.replace(s, "***");
            }
        }
        return out;
    }

    /** A writer that scrubs what it passes to {@code w} (w itself if it already does). */
    static PrintWriter wrap(PrintWriter w) {
        if (w instanceof ScrubbingPrintWriter) {
            return w;
        }
        return new ScrubbingPrintWriter(w);
    }

    /** A stream that scrubs the text printed through it (for {@code System.out}/{@code System.err}). */
    static PrintStream wrap(PrintStream s) {
        if (s instanceof ScrubbingPrintStream) {
            return s;
        }
        return new ScrubbingPrintStream(s);
    }

    private static final class ScrubbingPrintWriter extends PrintWriter {
        ScrubbingPrintWriter(PrintWriter out) {
            super(new Writer() {
                @Override
                public void write(char[] buf, int off, int len) {
                    out.write(scrub(new String(buf, off, len)));
                }

                @Override
                public void flush() {
                    out.flush();
                }

                @Override
                public void close() {
                    out.close();
                }
            }, true);
        }
    }

    private static final class ScrubbingPrintStream extends PrintStream {
        ScrubbingPrintStream(PrintStream out) {
            super(out, true);
        }

        @Override
        public void print(String s) {
            super.print(scrub(s));
        }

        @Override
        public void println(String s) {
            super.println(scrub(s));
        }

        @Override
        public void print(Object o) {
            print(String.valueOf(o));
        }

        @Override
        public void println(Object o) {
            println(String.valueOf(o));
        }
    }
}
