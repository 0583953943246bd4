package io.df2redis.examples.cli;

import io.df2redis.sink.redis.KeyFilter;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The key filter options of {@code migrate}, {@code replicate} and {@code verify}: which keys are
 * written (and compared), under which names ({@link KeyFilter}). {@code verify} must be given the
 * same options as the run it checks.
 */
final class FilterOptions {
    @Option(names = "--include-key", order = 60, paramLabel = "GLOB",
            description = "only keys matching GLOB (Redis glob: * ? [a-z] \\x; repeatable: any of them)")
    List<String> includeKeys = new ArrayList<>();

    @Option(names = "--exclude-key", order = 61, paramLabel = "GLOB",
            description = "not keys matching GLOB (repeatable)")
    List<String> excludeKeys = new ArrayList<>();

    @Option(names = "--include-key-regex", order = 62, paramLabel = "REGEX",
            description = "only keys matching the Java regular expression whole (repeatable)")
    List<String> includeRegex = new ArrayList<>();

    @Option(names = "--exclude-key-regex", order = 63, paramLabel = "REGEX",
            description = "not keys matching the Java regular expression whole (repeatable)")
    List<String> excludeRegex = new ArrayList<>();

    @Option(names = "--include-db", order = 64, paramLabel = "N", description = "only source db N (repeatable)")
    List<Integer> includeDbs = new ArrayList<>();

    @Option(names = "--exclude-db", order = 65, paramLabel = "N", description = "not source db N (repeatable)")
    List<Integer> excludeDbs = new ArrayList<>();

    @Option(names = "--exclude-type", order = 66, paramLabel = "TYPE",
            description = "not keys of TYPE (string, list, set, zset, hash, stream, ReJSON-RL, MBbloom--; repeatable)")
    List<String> excludeTypes = new ArrayList<>();

    @Option(names = "--exclude-command", order = 67, paramLabel = "NAME",
            description = "do not apply journal commands NAME (repeatable)")
    List<String> excludeCommands = new ArrayList<>();

    @Option(names = "--rename-prefix", order = 68, paramLabel = "OLD:NEW",
            description = "write keys starting with OLD with NEW instead (repeatable; the first that matches wins). "
                    + "user:u: renames user:1 to u:1 (prefixes that end in ':'); OLD=NEW splits at '=' instead "
                    + "(e.g. user:= strips user:)")
    List<String> renamePrefixes = new ArrayList<>();

    /**
     * The filter these options describe.
     *
     * @param cl the command line, for usage errors
     * @return the filter ({@link KeyFilter#all()} when no option is given)
     * @throws CommandLine.ParameterException for a bad pattern, db or rename rule
     */
    KeyFilter keyFilter(CommandLine cl) {
        try {
            KeyFilter.Builder b = KeyFilter.builder();
            includeKeys.forEach(b::includeKeys);
            excludeKeys.forEach(b::excludeKeys);
            includeRegex.forEach(r -> b.includeKeyRegex(Pattern.compile(r)));
            excludeRegex.forEach(r -> b.excludeKeyRegex(Pattern.compile(r)));
            b.includeDbs(includeDbs.stream().mapToInt(Integer::intValue).toArray());
            b.excludeDbs(excludeDbs.stream().mapToInt(Integer::intValue).toArray());
            excludeTypes.forEach(b::excludeTypes);
            excludeCommands.forEach(b::excludeCommands);
            for (String r : renamePrefixes) {
                String[] p = renameRule(r);
                b.renamePrefix(p[0], p[1]);
            }
            return b.build();
        } catch (PatternSyntaxException e) {
            throw new CommandLine.ParameterException(cl, "bad --include-key-regex/--exclude-key-regex: "
                    + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, "bad key filter option: " + e.getMessage());
        }
    }

    /**
     * {@code OLD=NEW} splits at the first {@code =}; otherwise at the first {@code :}, and when the
     * rest ends with {@code :} that colon ends OLD too ({@code user:u:} → {@code user:} and {@code u:}).
     *
     * @param rule the option's value
     * @return {@code {OLD, NEW}}
     */
    static String[] renameRule(String rule) {
        int eq = rule.indexOf('=');
        if (eq >= 0) {
            return new String[] {rule.substring(0, eq), rule.substring(eq + 1)};
        }
        int c = rule.indexOf(':');
        if (c <= 0) {
            throw new IllegalArgumentException("--rename-prefix " + rule + ": expected OLD:NEW or OLD=NEW");
        }
        String rest = rule.substring(c + 1);
        return rest.endsWith(":") ? new String[] {rule.substring(0, c + 1), rest}
                : new String[] {rule.substring(0, c), rest};
    }
}
