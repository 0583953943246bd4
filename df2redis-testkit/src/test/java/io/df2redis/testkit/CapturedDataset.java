package io.df2redis.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code dataset.txt} of a captured case: the commands in the order they were issued,
 * grouped by the replication phase they were sent in ({@code # phase:} lines), each parsed with
 * redis-cli quoting ({@code "…"} with {@code \"}, {@code \\}, {@code \n}, {@code \xHH}; {@code '…'}
 * literal). Other comment lines are dropped.
 */
final class CapturedDataset {
    /** One command: its arguments and the client connection it was sent on ("" = the default one). */
    record Command(String connection, List<byte[]> args) {
        String name() {
            return new String(args.get(0), StandardCharsets.UTF_8).toUpperCase(java.util.Locale.ROOT);
        }

        String text(int i) {
            return new String(args.get(i), StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder();
            for (byte[] a : args) {
                sb.append(sb.length() == 0 ? "" : " ").append(new String(a, StandardCharsets.UTF_8));
            }
            return sb.toString();
        }
    }

    /** Phase name (the text after {@code # phase:} up to the first space) → commands. */
    final Map<String, List<Command>> phases = new LinkedHashMap<>();

    static CapturedDataset read(Path file) {
        try {
            CapturedDataset d = new CapturedDataset();
            List<Command> current = d.phases.computeIfAbsent("", p -> new ArrayList<>());
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String t = line.strip();
                if (t.startsWith("# phase:")) {
                    String name = t.substring("# phase:".length()).strip().split(" ")[0];
                    current = d.phases.computeIfAbsent(name, p -> new ArrayList<>());
                } else if (!t.isEmpty() && !t.startsWith("#")) {
                    String conn = "";
                    if (t.startsWith("@")) {
                        int sp = t.indexOf(' ');
                        conn = t.substring(1, sp);
                        t = t.substring(sp + 1);
                    }
                    current.add(new Command(conn, split(t)));
                }
            }
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<Command> phase(String name) {
        return phases.getOrDefault(name, List.of());
    }

    /** Splits a line as redis-cli does. */
    static List<byte[]> split(String line) {
        List<byte[]> out = new ArrayList<>();
        int i = 0;
        while (i < line.length()) {
            while (i < line.length() && line.charAt(i) == ' ') {
                i++;
            }
            if (i >= line.length()) {
                break;
            }
            ByteArrayOutputStream a = new ByteArrayOutputStream();
            char q = line.charAt(i);
            if (q == '"') {
                i++;
                while (line.charAt(i) != '"') {
                    char c = line.charAt(i++);
                    if (c != '\\') {
                        a.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                        continue;
                    }
                    char e = line.charAt(i++);
                    switch (e) {
                        case 'n' -> a.write('\n');
                        case 'r' -> a.write('\r');
                        case 't' -> a.write('\t');
                        case 'x' -> {
                            a.write(Integer.parseInt(line.substring(i, i + 2), 16));
                            i += 2;
                        }
                        default -> a.writeBytes(String.valueOf(e).getBytes(StandardCharsets.UTF_8));
                    }
                }
                i++;
            } else if (q == '\'') {
                int end = line.indexOf('\'', i + 1);
                a.writeBytes(line.substring(i + 1, end).getBytes(StandardCharsets.UTF_8));
                i = end + 1;
            } else {
                int end = line.indexOf(' ', i);
                end = end < 0 ? line.length() : end;
                a.writeBytes(line.substring(i, end).getBytes(StandardCharsets.UTF_8));
                i = end;
            }
            out.add(a.toByteArray());
        }
        return out;
    }
}
