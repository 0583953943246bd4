package io.df2redis.tools.inspect;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Structural JSON comparison with a path in its messages; numbers compare by value. */
final class JsonCompare {
    private final List<String> problems = new ArrayList<>();

    List<String> problems() {
        return problems;
    }

    void problem(String path, String what) {
        if (problems.size() < 50) {
            problems.add(path + ": " + what);
        }
    }

    /** Compares every field of {@code expected}; with {@code subset}, fields missing in actual are ignored. */
    void equal(String path, JsonNode expected, JsonNode actual) {
        if (expected == null || expected.isMissingNode()) {
            return;
        }
        if (actual == null || actual.isMissingNode()) {
            problem(path, "missing (expected " + abbreviate(expected) + ")");
            return;
        }
        if (expected.isNumber() && actual.isNumber()) {
            if (expected.isIntegralNumber() && actual.isIntegralNumber()) {
                if (expected.bigIntegerValue().compareTo(actual.bigIntegerValue()) != 0) {
                    problem(path, "expected " + expected + " got " + actual);
                }
            } else if (Double.compare(expected.doubleValue(), actual.doubleValue()) != 0) {
                problem(path, "expected " + expected + " got " + actual);
            }
            return;
        }
        if (expected.isObject() && actual.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = expected.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                equal(path + "." + e.getKey(), e.getValue(), actual.get(e.getKey()));
            }
            Iterator<String> names = actual.fieldNames();
            while (names.hasNext()) {
                String n = names.next();
                if (!expected.has(n)) {
                    problem(path + "." + n, "unexpected field " + abbreviate(actual.get(n)));
                }
            }
            return;
        }
        if (expected.isArray() && actual.isArray()) {
            if (expected.size() != actual.size()) {
                problem(path, "array of " + expected.size() + " expected, got " + actual.size());
                return;
            }
            for (int i = 0; i < expected.size(); i++) {
                equal(path + "[" + i + "]", expected.get(i), actual.get(i));
            }
            return;
        }
        if (!expected.equals(actual)) {
            problem(path, "expected " + abbreviate(expected) + " got " + abbreviate(actual));
        }
    }

    /** Compares two arrays as multisets of their elements. */
    void sameElements(String path, JsonNode expected, JsonNode actual) {
        if (actual == null || !actual.isArray() || expected.size() != actual.size()) {
            problem(path, "set of " + expected.size() + " expected, got " + (actual == null ? "nothing"
                    : actual.size()));
            return;
        }
        List<String> a = new ArrayList<>();
        List<String> b = new ArrayList<>();
        expected.forEach(n -> a.add(n.toString()));
        actual.forEach(n -> b.add(n.toString()));
        a.sort(null);
        b.sort(null);
        if (!a.equals(b)) {
            for (int i = 0; i < a.size(); i++) {
                if (!a.get(i).equals(b.get(i))) {
                    problem(path, "sets differ, first difference: expected " + a.get(i) + " got " + b.get(i));
                    return;
                }
            }
        }
    }

    static String abbreviate(JsonNode n) {
        String s = String.valueOf(n);
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
