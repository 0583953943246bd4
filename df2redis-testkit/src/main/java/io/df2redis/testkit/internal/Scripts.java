package io.df2redis.testkit.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code EVAL}, {@code EVALSHA} and {@code SCRIPT LOAD|EXISTS}: scripts run as one transaction
 * whose writes are journaled as the individual commands they executed, sharing one txid
 * (effects replication, spec §5.8); a script's body joins the scripts a full sync sends as AUX
 * {@code lua} fields. The embedded master has no Lua: it runs scripts made of
 * {@code redis.call(…)}/{@code redis.pcall(…)} statements (optionally {@code local x = …}) and a
 * final {@code return}, whose arguments are string or number literals, {@code KEYS[i]},
 * {@code ARGV[i]} or such locals; other scripts are refused with an error.
 */
final class Scripts {
    static final Set<String> NAMES = Set.of("EVAL", "EVALSHA", "SCRIPT");

    /** Answers a read command inside a script. */
    interface ReadFn {
        byte[] read(int db, List<byte[]> args, long nowMs);
    }

    private final Commands commands;
    private final List<String> bodies;
    private final ReadFn reads;

    Scripts(Commands commands, List<String> bodies, ReadFn reads) {
        this.commands = commands;
        this.bodies = bodies;
        this.reads = reads;
    }

    byte[] run(Exec x, int db, List<byte[]> args, long nowMs) {
        String name = Exec.upper(args.get(0));
        if (name.equals("SCRIPT")) {
            return script(args);
        }
        if (args.size() < 3) {
            throw Reads.wrongArgs(name);
        }
        String body;
        if (name.equals("EVAL")) {
            body = new String(args.get(1), StandardCharsets.UTF_8);
        } else {
            body = bySha(new String(args.get(1), StandardCharsets.US_ASCII));
            if (body == null) {
                throw new IllegalArgumentException("NOSCRIPT No matching script. Please use EVAL.");
            }
        }
        long numKeys;
        try {
            numKeys = Reads.integer(args.get(2));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(Resp.NOT_INTEGER);
        }
        if (numKeys < 0 || numKeys > args.size() - 3) {
            throw new IllegalArgumentException("ERR Number of keys can't be greater than number of args");
        }
        List<byte[]> keys = new ArrayList<>(args.subList(3, (int) (3 + numKeys)));
        List<byte[]> argv = new ArrayList<>(args.subList((int) (3 + numKeys), args.size()));
        List<Stmt> program = new Parser(body).program();
        remember(body);
        x.begin(db, args, nowMs);
        x.span(keys);
        x.multiHop();
        Map<String, byte[]> locals = new HashMap<>();
        for (Stmt s : program) {
            byte[] v = s.call == null ? value(s.ret, keys, argv, locals) : call(x, db, s.call, keys, argv, locals, nowMs);
            if (s.local != null) {
                locals.put(s.local, v);
            }
            if (s.isReturn) {
                return v == null ? Resp.bulk((byte[]) null) : v;
            }
        }
        return Resp.bulk((byte[]) null);
    }

    private byte[] call(Exec x, int db, Call c, List<byte[]> keys, List<byte[]> argv, Map<String, byte[]> locals,
                        long nowMs) {
        List<byte[]> cmd = new ArrayList<>();
        for (Arg a : c.args) {
            byte[] v = value(a, keys, argv, locals);
            if (v == null || v[0] == '$' || v[0] == ':' || v[0] == '+') {
                v = v == null ? null : unwrap(v);
            }
            if (v == null) {
                throw new IllegalArgumentException("ERR Lua redis lib command arguments must be strings or integers");
            }
            cmd.add(v);
        }
        String name = Exec.upper(cmd.get(0));
        try {
            if (Reads.NAMES.contains(name)) {
                return reads.read(db, cmd, nowMs);
            }
            return commands.run(x, db, cmd, nowMs);
        } catch (IllegalArgumentException | IllegalStateException e) {
            if (c.protectedCall) {
                return Resp.error(e.getMessage());
            }
            throw e;
        }
    }

    /** An argument's bytes; a literal is returned as its RESP reply when used as a return value. */
    private static byte[] value(Arg a, List<byte[]> keys, List<byte[]> argv, Map<String, byte[]> locals) {
        if (a == null) {
            return null;
        }
        return switch (a.kind) {
            case STRING -> Resp.bulk(a.text.getBytes(StandardCharsets.UTF_8));
            case NUMBER -> Resp.integer((long) Double.parseDouble(a.text));
            case KEYS -> index(keys, a.index, "KEYS");
            case ARGV -> index(argv, a.index, "ARGV");
            case NIL -> null;
            case LOCAL -> {
                if (!locals.containsKey(a.text)) {
                    throw new IllegalArgumentException("ERR the embedded master cannot run this script: unknown name "
                            + a.text);
                }
                yield locals.get(a.text);
            }
        };
    }

    private static byte[] index(List<byte[]> l, int i, String what) {
        return i >= 1 && i <= l.size() ? Resp.bulk(l.get(i - 1)) : null;
    }

    /** The payload of a bulk, integer or simple-string reply. */
    private static byte[] unwrap(byte[] resp) {
        String s = new String(resp, StandardCharsets.ISO_8859_1);
        int crlf = s.indexOf("\r\n");
        if (resp[0] == '$') {
            int len = Integer.parseInt(s.substring(1, crlf));
            if (len < 0) {
                return null;
            }
            byte[] out = new byte[len];
            System.arraycopy(resp, crlf + 2, out, 0, len);
            return out;
        }
        return s.substring(1, crlf).getBytes(StandardCharsets.ISO_8859_1);
    }

    private byte[] script(List<byte[]> args) {
        if (args.size() < 2) {
            throw Reads.wrongArgs("SCRIPT");
        }
        String sub = Exec.upper(args.get(1));
        switch (sub) {
            case "LOAD": {
                if (args.size() != 3) {
                    throw Reads.wrongArgs("SCRIPT");
                }
                String body = new String(args.get(2), StandardCharsets.UTF_8);
                new Parser(body).program();
                remember(body);
                return Resp.bulk(sha1(body));
            }
            case "EXISTS": {
                Out o = new Out().array(args.size() - 2);
                for (int i = 2; i < args.size(); i++) {
                    o.integer(bySha(new String(args.get(i), StandardCharsets.US_ASCII)) != null ? 1 : 0);
                }
                return o.bytes();
            }
            default:
                throw new IllegalArgumentException("ERR Unknown subcommand or wrong number of arguments for '" + sub + "'");
        }
    }

    private void remember(String body) {
        if (!bodies.contains(body)) {
            bodies.add(body);
        }
    }

    private String bySha(String sha) {
        for (String b : bodies) {
            if (sha1(b).equalsIgnoreCase(sha)) {
                return b;
            }
        }
        return null;
    }

    static String sha1(String body) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-1");
            return HexFormat.of().formatHex(md.digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ the tiny script language

    private enum Kind { STRING, NUMBER, KEYS, ARGV, NIL, LOCAL }

    private record Arg(Kind kind, String text, int index) {
    }

    private record Call(boolean protectedCall, List<Arg> args) {
    }

    /** One statement: a call (optionally assigned to a local) or a return of a call or a value. */
    private record Stmt(String local, Call call, Arg ret, boolean isReturn) {
    }

    private static final class Parser {
        private final String s;
        private int i;

        Parser(String s) {
            this.s = s;
        }

        List<Stmt> program() {
            List<Stmt> out = new ArrayList<>();
            skip();
            while (i < s.length()) {
                out.add(statement());
                skip();
                while (i < s.length() && s.charAt(i) == ';') {
                    i++;
                    skip();
                }
            }
            return out;
        }

        private Stmt statement() {
            if (word("return")) {
                skip();
                if (i >= s.length() || s.charAt(i) == ';') {
                    return new Stmt(null, null, null, true);
                }
                if (lookingAt("redis.")) {
                    return new Stmt(null, call(), null, true);
                }
                return new Stmt(null, null, arg(), true);
            }
            String local = null;
            if (word("local")) {
                skip();
                local = ident();
                skip();
                expect('=');
                skip();
            }
            return new Stmt(local, call(), null, false);
        }

        private Call call() {
            boolean pcall;
            if (word("redis.call")) {
                pcall = false;
            } else if (word("redis.pcall")) {
                pcall = true;
            } else {
                throw unsupported();
            }
            skip();
            expect('(');
            List<Arg> args = new ArrayList<>();
            skip();
            while (i < s.length() && s.charAt(i) != ')') {
                args.add(arg());
                skip();
                if (i < s.length() && s.charAt(i) == ',') {
                    i++;
                    skip();
                }
            }
            expect(')');
            if (args.isEmpty()) {
                throw new IllegalArgumentException("ERR Please specify at least one argument for this redis lib call");
            }
            return new Call(pcall, args);
        }

        private Arg arg() {
            char c = i < s.length() ? s.charAt(i) : 0;
            if (c == '\'' || c == '"') {
                return new Arg(Kind.STRING, string(c), 0);
            }
            if (c == '-' || Character.isDigit(c)) {
                int from = i++;
                while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                    i++;
                }
                return new Arg(Kind.NUMBER, s.substring(from, i), 0);
            }
            if (word("KEYS") || word("ARGV")) {
                Kind k = s.startsWith("KEYS", i - 4) ? Kind.KEYS : Kind.ARGV;
                skip();
                expect('[');
                int from = i;
                while (i < s.length() && Character.isDigit(s.charAt(i))) {
                    i++;
                }
                if (from == i) {
                    throw unsupported();
                }
                int idx = Integer.parseInt(s.substring(from, i));
                expect(']');
                return new Arg(k, null, idx);
            }
            if (word("nil")) {
                return new Arg(Kind.NIL, null, 0);
            }
            return new Arg(Kind.LOCAL, ident(), 0);
        }

        private String string(char quote) {
            StringBuilder sb = new StringBuilder();
            i++;
            while (i < s.length() && s.charAt(i) != quote) {
                char c = s.charAt(i++);
                if (c == '\\' && i < s.length()) {
                    char e = s.charAt(i++);
                    sb.append(switch (e) {
                        case 'n' -> '\n';
                        case 't' -> '\t';
                        case 'r' -> '\r';
                        default -> e;
                    });
                } else {
                    sb.append(c);
                }
            }
            expect(quote);
            return sb.toString();
        }

        private String ident() {
            int from = i;
            while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
                i++;
            }
            if (from == i) {
                throw unsupported();
            }
            return s.substring(from, i);
        }

        private boolean lookingAt(String w) {
            return s.startsWith(w, i);
        }

        private boolean word(String w) {
            if (!s.startsWith(w, i)) {
                return false;
            }
            int end = i + w.length();
            if (end < s.length() && (Character.isLetterOrDigit(s.charAt(end)) || s.charAt(end) == '_')) {
                return false;
            }
            i = end;
            return true;
        }

        private void expect(char c) {
            if (i >= s.length() || s.charAt(i) != c) {
                throw unsupported();
            }
            i++;
        }

        private void skip() {
            while (i < s.length()) {
                char c = s.charAt(i);
                if (Character.isWhitespace(c)) {
                    i++;
                } else if (s.startsWith("--", i)) {
                    while (i < s.length() && s.charAt(i) != '\n') {
                        i++;
                    }
                } else {
                    break;
                }
            }
        }

        private IllegalArgumentException unsupported() {
            return new IllegalArgumentException("ERR the embedded master runs only scripts made of redis.call/redis.pcall"
                    + " statements and a return (at offset " + i + ")");
        }
    }
}
