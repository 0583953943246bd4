package io.df2redis.testkit.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.df2redis.protocol.rdb.RdbKeyValue;
import io.df2redis.protocol.rdb.RdbValue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON document commands ({@code json_family.cc}): {@code JSON.SET}, {@code JSON.DEL},
 * {@code JSON.NUMINCRBY}, {@code JSON.NUMMULTBY}, {@code JSON.ARRAPPEND}, all journaled as
 * received when they succeed. Paths: the root ({@code $} or {@code .}) and member/index chains
 * ({@code $.a.b[0]}, {@code .a}); a {@code $} path answers in an array as JSONPath does.
 */
final class DocCommands {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DocCommands() {
    }

    static void register(Commands.Table t) {
        t.add("JSON.SET", -4, DocCommands::set);
        t.add("JSON.DEL", -2, DocCommands::del);
        t.add("JSON.NUMINCRBY", 4, x -> num(x, false));
        t.add("JSON.NUMMULTBY", 4, x -> num(x, true));
        t.add("JSON.ARRAPPEND", -4, DocCommands::arrappend);
    }

    /** A parsed path: its steps (String member or Integer index) and whether it is a JSONPath ($…). */
    private record Path(List<Object> steps, boolean jsonPath) {
        boolean root() {
            return steps.isEmpty();
        }
    }

    private static Path path(byte[] arg) {
        String p = new String(arg, StandardCharsets.UTF_8);
        boolean jsonPath = p.startsWith("$");
        String rest = jsonPath ? p.substring(1) : p.equals(".") ? "" : p.startsWith(".") ? p : "." + p;
        List<Object> steps = new ArrayList<>();
        int i = 0;
        while (i < rest.length()) {
            char c = rest.charAt(i);
            if (c == '.') {
                int j = i + 1;
                while (j < rest.length() && rest.charAt(j) != '.' && rest.charAt(j) != '[') {
                    j++;
                }
                if (j == i + 1) {
                    throw new IllegalArgumentException("ERR the embedded master does not support the JSON path " + p);
                }
                steps.add(rest.substring(i + 1, j));
                i = j;
            } else if (c == '[') {
                int j = rest.indexOf(']', i);
                String inner = j < 0 ? "" : rest.substring(i + 1, j);
                try {
                    steps.add(Integer.parseInt(inner));
                } catch (NumberFormatException e) {
                    if (inner.length() >= 2 && (inner.startsWith("'") || inner.startsWith("\""))) {
                        steps.add(inner.substring(1, inner.length() - 1));
                    } else {
                        throw new IllegalArgumentException("ERR the embedded master does not support the JSON path " + p);
                    }
                }
                i = j + 1;
            } else {
                throw new IllegalArgumentException("ERR the embedded master does not support the JSON path " + p);
            }
        }
        return new Path(steps, jsonPath);
    }

    private static JsonNode parse(byte[] text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException("ERR failed to parse JSON: " + e.getMessage());
        }
    }

    private static JsonNode load(Exec x, byte[] key) {
        RdbValue.JsonValue v = x.get(key, RdbValue.JsonValue.class);
        return v == null ? null : parse(v.text());
    }

    private static void save(Exec x, byte[] key, RdbKeyValue old, JsonNode doc) {
        try {
            x.update(key, old, new RdbValue.JsonValue(JSON.writeValueAsBytes(doc)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The node at all but the last step (null when missing). */
    private static JsonNode parent(JsonNode doc, Path p) {
        JsonNode n = doc;
        for (int i = 0; i < p.steps().size() - 1 && n != null; i++) {
            n = child(n, p.steps().get(i));
        }
        return n;
    }

    private static JsonNode child(JsonNode n, Object step) {
        if (step instanceof Integer idx) {
            if (!n.isArray()) {
                return null;
            }
            int i = idx < 0 ? n.size() + idx : idx;
            return i >= 0 && i < n.size() ? n.get(i) : null;
        }
        return n.isObject() ? n.get((String) step) : null;
    }

    private static JsonNode at(JsonNode doc, Path p) {
        return p.root() ? doc : child(parent(doc, p), p.steps().get(p.steps().size() - 1));
    }

    private static void replace(JsonNode parent, Object step, JsonNode value) {
        if (step instanceof Integer idx) {
            ArrayNode a = (ArrayNode) parent;
            a.set(idx < 0 ? a.size() + idx : idx, value);
        } else {
            ((ObjectNode) parent).set((String) step, value);
        }
    }

    private static byte[] set(Exec x) {
        byte[] key = x.arg(1);
        Path p = path(x.arg(2));
        JsonNode value = parse(x.arg(3));
        boolean nx = false;
        boolean xx = false;
        for (int i = 4; i < x.argc(); i++) {
            switch (x.word(i)) {
                case "NX" -> nx = true;
                case "XX" -> xx = true;
                default -> throw Exec.syntax();
            }
        }
        RdbKeyValue old = x.get(key);
        JsonNode doc = load(x, key);
        if (p.root()) {
            if ((nx && doc != null) || (xx && doc == null)) {
                return Resp.bulk((byte[]) null);
            }
            x.delete(key);
            save(x, key, null, value);
            x.auto();
            return Resp.OK;
        }
        if (doc == null) {
            throw new IllegalArgumentException("ERR new objects must be created at the root");
        }
        JsonNode parent = parent(doc, p);
        Object last = p.steps().get(p.steps().size() - 1);
        JsonNode existing = parent == null ? null : child(parent, last);
        if (parent == null || (existing == null && !(parent.isObject() && last instanceof String))
                || (nx && existing != null) || (xx && existing == null)) {
            return Resp.bulk((byte[]) null);
        }
        replace(parent, last, value);
        save(x, key, old, doc);
        x.auto();
        return Resp.OK;
    }

    private static byte[] del(Exec x) {
        byte[] key = x.arg(1);
        Path p = x.argc() > 2 ? path(x.arg(2)) : new Path(List.of(), true);
        RdbKeyValue old = x.get(key);
        JsonNode doc = load(x, key);
        if (doc == null) {
            return Resp.integer(0);
        }
        long n = 0;
        if (p.root()) {
            x.delete(key);
            n = 1;
        } else {
            JsonNode parent = parent(doc, p);
            Object last = p.steps().get(p.steps().size() - 1);
            if (parent != null && child(parent, last) != null) {
                if (last instanceof Integer idx) {
                    ((ArrayNode) parent).remove(idx < 0 ? parent.size() + idx : idx);
                } else {
                    ((ObjectNode) parent).remove((String) last);
                }
                n = 1;
                save(x, key, old, doc);
            }
        }
        x.auto();
        return Resp.integer(n);
    }

    private static byte[] num(Exec x, boolean multiply) {
        byte[] key = x.arg(1);
        Path p = path(x.arg(2));
        JsonNode by = parse(x.arg(3));
        if (!by.isNumber()) {
            throw new IllegalArgumentException("ERR failed to parse the number");
        }
        RdbKeyValue old = x.get(key);
        JsonNode doc = load(x, key);
        if (doc == null) {
            throw new IllegalArgumentException("ERR could not perform this operation on a key that doesn't exist");
        }
        JsonNode cur = at(doc, p);
        JsonNode result;
        if (cur == null || !cur.isNumber()) {
            if (!p.jsonPath()) {
                throw new IllegalArgumentException("ERR wrong type of path value");
            }
            result = null;
        } else {
            if (cur.isIntegralNumber() && by.isIntegralNumber()) {
                result = LongNode.valueOf(multiply ? cur.asLong() * by.asLong() : cur.asLong() + by.asLong());
            } else {
                result = DoubleNode.valueOf(multiply ? cur.asDouble() * by.asDouble() : cur.asDouble() + by.asDouble());
            }
            if (p.root()) {
                doc = result;
            } else {
                replace(parent(doc, p), p.steps().get(p.steps().size() - 1), result);
            }
            save(x, key, old, doc);
        }
        x.auto();
        String text = result == null ? "null" : result.toString();
        return Resp.bulk(p.jsonPath() ? "[" + text + "]" : text);
    }

    private static byte[] arrappend(Exec x) {
        byte[] key = x.arg(1);
        Path p = path(x.arg(2));
        RdbKeyValue old = x.get(key);
        JsonNode doc = load(x, key);
        if (doc == null) {
            throw new IllegalArgumentException("ERR could not perform this operation on a key that doesn't exist");
        }
        JsonNode target = at(doc, p);
        if (target == null || !target.isArray()) {
            if (!p.jsonPath()) {
                throw new IllegalArgumentException("ERR wrong type of path value");
            }
            x.auto();
            return new Out().array(1).nil().bytes();
        }
        for (int i = 3; i < x.argc(); i++) {
            ((ArrayNode) target).add(parse(x.arg(i)));
        }
        save(x, key, old, doc instanceof ContainerNode<?> ? doc : target);
        x.auto();
        return p.jsonPath() ? new Out().array(1).integer(target.size()).bytes() : Resp.integer(target.size());
    }
}
