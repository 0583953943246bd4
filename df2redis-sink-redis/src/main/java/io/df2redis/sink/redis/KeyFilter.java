package io.df2redis.sink.redis;

import io.df2redis.protocol.resp.Glob;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Which of the source's keys a {@link RedisSink} writes, and under which name: one filter for
 * snapshot entries and journal commands alike, so the two always agree (and the
 * {@link io.df2redis.sink.redis.verify.Verifier} takes the same filter).
 *
 * <p>A key passes when its db passes ({@link Builder#includeDbs}, {@link Builder#excludeDbs}), it
 * matches an include pattern if there is any ({@link Builder#includeKeys} globs as Redis's
 * {@code SCAN MATCH}, {@link Builder#includeKeyRegex}), and no exclude pattern. A snapshot entry
 * passes when its key does and its type ({@code TYPE} reply: {@code string}, {@code list},
 * {@code set}, {@code zset}, {@code hash}, {@code stream}, {@code ReJSON-RL}, {@code MBbloom--} …)
 * is not excluded; a journal command when its name is not excluded, the type its name implies
 * (e.g. {@code LPUSH}: list) is not excluded, and its keys pass — a multi-key command whose keys fall
 * on both sides is cut to its passing keys where that keeps its meaning ({@code DEL}, {@code UNLINK},
 * {@code TOUCH}, {@code EXISTS}, {@code MSET}), otherwise it goes to the sink's unsupported-data policy
 * with reason {@link UnsupportedData#REASON_FILTER_SPLIT}, never half applied. Passing keys are
 * renamed by the first {@link Builder#renamePrefix} whose old prefix they start with, or by
 * {@link Builder#rename}.
 *
 * <p>Immutable and thread-safe; {@link #all()} passes everything unchanged. {@link #toString()}
 * describes the rules.
 */
public final class KeyFilter {
    private static final KeyFilter ALL = builder().build();

    private final List<byte[]> includeGlobs;
    private final List<byte[]> excludeGlobs;
    private final List<Pattern> includeRegex;
    private final List<Pattern> excludeRegex;
    private final Set<Integer> includeDbs;
    private final Set<Integer> excludeDbs;
    private final Set<String> excludeTypes;
    private final Set<String> excludeCommands;
    private final List<byte[][]> prefixes;
    private final KeyRenamer renamer;

    /** A function from code that renames keys. */
    @FunctionalInterface
    public interface KeyRenamer {
        /**
         * @param db the key's source db
         * @param key the key as the source has it
         * @return the name to write it under (the key itself to keep it)
         */
        byte[] rename(int db, byte[] key);
    }

    private KeyFilter(Builder b) {
        includeGlobs = List.copyOf(b.includeGlobs);
        excludeGlobs = List.copyOf(b.excludeGlobs);
        includeRegex = List.copyOf(b.includeRegex);
        excludeRegex = List.copyOf(b.excludeRegex);
        includeDbs = Set.copyOf(b.includeDbs);
        excludeDbs = Set.copyOf(b.excludeDbs);
        excludeTypes = Set.copyOf(b.excludeTypes);
        excludeCommands = Set.copyOf(b.excludeCommands);
        prefixes = List.copyOf(b.prefixes);
        renamer = b.renamer;
    }

    /** @return the filter that passes every key unchanged */
    public static KeyFilter all() {
        return ALL;
    }

    /** @return a new builder (passes everything until told otherwise) */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this filter's rules */
    public Builder mutate() {
        Builder b = new Builder();
        b.includeGlobs.addAll(includeGlobs);
        b.excludeGlobs.addAll(excludeGlobs);
        b.includeRegex.addAll(includeRegex);
        b.excludeRegex.addAll(excludeRegex);
        b.includeDbs.addAll(includeDbs);
        b.excludeDbs.addAll(excludeDbs);
        b.excludeTypes.addAll(excludeTypes);
        b.excludeCommands.addAll(excludeCommands);
        b.prefixes.addAll(prefixes);
        b.renamer = renamer;
        return b;
    }

    /** @return true when this filter passes everything unchanged */
    public boolean passesAll() {
        return includeGlobs.isEmpty() && excludeGlobs.isEmpty() && includeRegex.isEmpty() && excludeRegex.isEmpty()
                && includeDbs.isEmpty() && excludeDbs.isEmpty() && excludeTypes.isEmpty() && excludeCommands.isEmpty()
                && !renames();
    }

    /** @return true when some key is written under another name */
    public boolean renames() {
        return !prefixes.isEmpty() || renamer != null;
    }

    /** @return true when some key of a db that passes may not pass (key patterns or types) */
    public boolean selectsKeys() {
        return !includeGlobs.isEmpty() || !excludeGlobs.isEmpty() || !includeRegex.isEmpty()
                || !excludeRegex.isEmpty() || !excludeTypes.isEmpty();
    }

    /**
     * @param db a source db
     * @return whether keys of that db can pass
     */
    public boolean passesDb(int db) {
        return (includeDbs.isEmpty() || includeDbs.contains(db)) && !excludeDbs.contains(db);
    }

    /**
     * @param db the key's source db
     * @param key the key
     * @return whether the key passes (its db and the key patterns; not its type)
     */
    public boolean passes(int db, byte[] key) {
        if (!passesDb(db)) {
            return false;
        }
        if (!includeGlobs.isEmpty() || !includeRegex.isEmpty()) {
            boolean in = false;
            for (byte[] g : includeGlobs) {
                in = in || Glob.matches(g, key);
            }
            if (!in && !includeRegex.isEmpty()) {
                String s = new String(key, StandardCharsets.UTF_8);
                for (Pattern p : includeRegex) {
                    in = in || p.matcher(s).matches();
                }
            }
            if (!in) {
                return false;
            }
        }
        for (byte[] g : excludeGlobs) {
            if (Glob.matches(g, key)) {
                return false;
            }
        }
        if (!excludeRegex.isEmpty()) {
            String s = new String(key, StandardCharsets.UTF_8);
            for (Pattern p : excludeRegex) {
                if (p.matcher(s).matches()) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * @param type a {@code TYPE} reply ({@code string}, {@code list} …), or null when unknown
     * @return whether keys of that type pass (an unknown type does)
     */
    public boolean passesType(String type) {
        return type == null || !excludeTypes.contains(type);
    }

    /**
     * @param command a command name
     * @return whether the command passes its name
     */
    public boolean passesCommand(String command) {
        return !excludeCommands.contains(command.toUpperCase(Locale.ROOT));
    }

    /**
     * The name a passing key is written under.
     *
     * @param db the key's source db
     * @param key the key
     * @return the new name, or {@code key} itself
     */
    public byte[] rename(int db, byte[] key) {
        for (byte[][] p : prefixes) {
            if (startsWith(key, p[0])) {
                byte[] out = new byte[p[1].length + key.length - p[0].length];
                System.arraycopy(p[1], 0, out, 0, p[1].length);
                System.arraycopy(key, p[0].length, out, p[1].length, key.length - p[0].length);
                return out;
            }
        }
        return renamer != null ? renamer.rename(db, key) : key;
    }

    /**
     * The source key a target key was written from, when the renaming can be undone (no renaming, or
     * prefix renaming only): for checking that the target holds nothing else.
     *
     * @param db the source db
     * @param targetKey a key of the target
     * @return the source key it comes from, or empty when no source key is renamed to it or the
     *     renaming is a function (which cannot be undone)
     */
    public Optional<byte[]> sourceKey(int db, byte[] targetKey) {
        if (renamer != null) {
            return Optional.empty();
        }
        for (byte[][] p : prefixes) {
            if (startsWith(targetKey, p[1])) {
                byte[] src = new byte[p[0].length + targetKey.length - p[1].length];
                System.arraycopy(p[0], 0, src, 0, p[0].length);
                System.arraycopy(targetKey, p[1].length, src, p[0].length, targetKey.length - p[1].length);
                if (Arrays.equals(rename(db, src), targetKey)) {
                    return Optional.of(src);
                }
            }
        }
        return Arrays.equals(rename(db, targetKey), targetKey) ? Optional.of(targetKey) : Optional.empty();
    }

    /** @return whether {@link #sourceKey} can undo every renaming */
    public boolean reversible() {
        return renamer == null;
    }

    /** {@code KeyFilter{include [user:*], exclude types [stream], rename user: -> u:}}. */
    @Override
    public String toString() {
        if (passesAll()) {
            return "KeyFilter{all}";
        }
        List<String> parts = new ArrayList<>();
        part(parts, "include", includeGlobs.stream().map(KeyFilter::text).toList());
        part(parts, "include regex", includeRegex.stream().map(Pattern::pattern).toList());
        part(parts, "exclude", excludeGlobs.stream().map(KeyFilter::text).toList());
        part(parts, "exclude regex", excludeRegex.stream().map(Pattern::pattern).toList());
        part(parts, "include dbs", new TreeSet<>(includeDbs).stream().map(String::valueOf).toList());
        part(parts, "exclude dbs", new TreeSet<>(excludeDbs).stream().map(String::valueOf).toList());
        part(parts, "exclude types", new TreeSet<>(excludeTypes).stream().toList());
        part(parts, "exclude commands", new TreeSet<>(excludeCommands).stream().toList());
        part(parts, "rename", prefixes.stream().map(p -> text(p[0]) + " -> " + text(p[1])).toList());
        if (renamer != null) {
            parts.add("rename by a function");
        }
        return "KeyFilter{" + String.join(", ", parts) + "}";
    }

    private static void part(List<String> parts, String name, List<String> values) {
        if (!values.isEmpty()) {
            parts.add(name + " " + values);
        }
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    /**
     * Builds a {@link KeyFilter}. Every rule adds to the ones before; nothing set passes everything.
     * Not thread-safe.
     */
    public static final class Builder {
        private final List<byte[]> includeGlobs = new ArrayList<>();
        private final List<byte[]> excludeGlobs = new ArrayList<>();
        private final List<Pattern> includeRegex = new ArrayList<>();
        private final List<Pattern> excludeRegex = new ArrayList<>();
        private final Set<Integer> includeDbs = new LinkedHashSet<>();
        private final Set<Integer> excludeDbs = new LinkedHashSet<>();
        private final Set<String> excludeTypes = new LinkedHashSet<>();
        private final Set<String> excludeCommands = new LinkedHashSet<>();
        private final List<byte[][]> prefixes = new ArrayList<>();
        private KeyRenamer renamer;

        private Builder() {
        }

        /**
         * Keys matching any of these globs pass (when any include rule is set, only they do).
         *
         * @param globs Redis glob patterns ({@code *}, {@code ?}, {@code [a-z]}, {@code \x})
         * @return this builder
         */
        public Builder includeKeys(String... globs) {
            for (String g : globs) {
                includeGlobs.add(nonEmpty(g, "include glob").getBytes(StandardCharsets.UTF_8));
            }
            return this;
        }

        /**
         * Keys matching any of these globs do not pass.
         *
         * @param globs Redis glob patterns
         * @return this builder
         */
        public Builder excludeKeys(String... globs) {
            for (String g : globs) {
                excludeGlobs.add(nonEmpty(g, "exclude glob").getBytes(StandardCharsets.UTF_8));
            }
            return this;
        }

        /**
         * Keys (read as UTF-8) that match this regular expression whole pass.
         *
         * @param regex the expression
         * @return this builder
         */
        public Builder includeKeyRegex(Pattern regex) {
            includeRegex.add(regex);
            return this;
        }

        /**
         * Keys (read as UTF-8) that match this regular expression whole do not pass.
         *
         * @param regex the expression
         * @return this builder
         */
        public Builder excludeKeyRegex(Pattern regex) {
            excludeRegex.add(regex);
            return this;
        }

        /**
         * Only keys of these source dbs pass.
         *
         * @param dbs source dbs
         * @return this builder
         */
        public Builder includeDbs(int... dbs) {
            for (int d : dbs) {
                includeDbs.add(db(d));
            }
            return this;
        }

        /**
         * Keys of these source dbs do not pass.
         *
         * @param dbs source dbs
         * @return this builder
         */
        public Builder excludeDbs(int... dbs) {
            for (int d : dbs) {
                excludeDbs.add(db(d));
            }
            return this;
        }

        /**
         * Keys of these types do not pass (snapshot entries by their type, journal commands by the
         * type their name implies).
         *
         * @param types {@code TYPE} replies: {@code string}, {@code list}, {@code set}, {@code zset},
         *     {@code hash}, {@code stream}, {@code ReJSON-RL}, {@code MBbloom--} …
         * @return this builder
         */
        public Builder excludeTypes(String... types) {
            for (String t : types) {
                excludeTypes.add(nonEmpty(t, "type"));
            }
            return this;
        }

        /**
         * Journal commands of these names are not applied.
         *
         * @param commands command names (any case)
         * @return this builder
         */
        public Builder excludeCommands(String... commands) {
            for (String c : commands) {
                excludeCommands.add(nonEmpty(c, "command").toUpperCase(Locale.ROOT));
            }
            return this;
        }

        /**
         * Passing keys that start with {@code from} are written with {@code to} instead of it (the
         * first matching rule wins).
         *
         * @param from the source prefix (not empty)
         * @param to the target prefix (may be empty: the prefix is stripped)
         * @return this builder
         */
        public Builder renamePrefix(String from, String to) {
            prefixes.add(new byte[][] {nonEmpty(from, "rename prefix").getBytes(StandardCharsets.UTF_8),
                to.getBytes(StandardCharsets.UTF_8)});
            return this;
        }

        /**
         * Renames passing keys no prefix rule renamed (a {@code Verifier} with this filter can then
         * check only the keys the source has, not that the target holds nothing else).
         *
         * @param f the function
         * @return this builder
         */
        public Builder rename(KeyRenamer f) {
            this.renamer = f;
            return this;
        }

        /** @return the filter */
        public KeyFilter build() {
            return new KeyFilter(this);
        }

        private static String nonEmpty(String s, String what) {
            if (s == null || s.isEmpty()) {
                throw new IllegalArgumentException("an empty " + what);
            }
            return s;
        }

        private static int db(int d) {
            if (d < 0) {
                throw new IllegalArgumentException("db " + d + " < 0");
            }
            return d;
        }
    }
}
