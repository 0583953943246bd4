package io.df2redis.testkit.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;

/**
 * {@code DEBUG POPULATE <count> [prefix] [size] [RAND] [TYPE type] [ELEMENTS n] [EXPIRE min max]}
 * as Dragonfly v1.40 runs it ({@code server/debugcmd.cc}, {@code ParsePopulateArgs},
 * {@code PopulateRangeFiber}, {@code GeneratePopulateCommand}, {@code DoPopulateBatch}): the keys
 * {@code <prefix>:<i>} for {@code i} in {@code [0, count)} (prefix {@code key}), each written by
 * the command a client would send, so existing keys are overwritten (strings) or added to, and a
 * command the key's type refuses is skipped without an error:
 * <ul>
 *   <li>{@code STRING} (the default): {@code SET key v};</li>
 *   <li>{@code LIST}, {@code SET}: {@code LPUSH} / {@code SADD} of {@code n} values;</li>
 *   <li>{@code HASH}, {@code STREAM}: {@code HSET} / {@code XADD key *} of {@code n} field-value
 *       pairs, each half the size;</li>
 *   <li>{@code ZSET}: {@code ZADD} of {@code n} pairs, the score a random integer below the size;</li>
 *   <li>then, with {@code EXPIRE}, {@code EXPIRE key t} with {@code t} random in {@code [min, max)}.</li>
 * </ul>
 * A value is {@code size} (default 16) times {@code x}, or with {@code RAND} that many random hex
 * digits; {@code n} is 1 unless {@code ELEMENTS} says otherwise, sent in commands of at most
 * {@code max(32768 / size, 1)} elements. The keys are split into one contiguous range per thread
 * (here: per shard), {@code count / threads} each and the rest to the last, written range by range.
 * Errors carry Dragonfly's texts.
 *
 * <p><b>Not like Dragonfly:</b> {@code SLOTS} (cluster mode) and {@code TYPE JSON}
 * ({@code JSON.MERGE}) are refused with an error naming the embedded master, rather than run
 * differently; an unknown type is refused too (Dragonfly logs a warning, writes nothing and replies
 * OK). Each generated command is journaled as its own transaction; Dragonfly runs each batch of 32
 * keys of a shard in one non-atomic {@code EXEC} transaction, a grouping no capture here records.
 * The v1.30 profile runs the same code: no v1.30.3 capture of a populate exists to tell otherwise.
 */
final class DebugPopulate {
    /** Dragonfly's {@code kUintErr}. */
    static final String UINT_ERR = "ERR value is out of range, must be positive";
    static final String SYNTAX_ERR = "ERR syntax error";
    /** Dragonfly's {@code kExpiryOutOfRange}. */
    static final String EXPIRY_ERR = "ERR expiry is out of range";
    /** The most keys the embedded master populates (its dataset lives on the test JVM's heap). */
    static final long MAX_COUNT = 20_000_000;
    /** The most value bytes (with a per-value overhead) the embedded master populates. */
    static final long MAX_VALUE_BYTES = 1L << 30;
    private static final List<String> TYPES = List.of("STRING", "LIST", "SET", "HASH", "ZSET", "STREAM");
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final long count;
    private final String prefix;
    private final int size;
    private final boolean random;
    private final String type;
    private final long elements;
    private final long expireMin;
    private final long expireMax;
    private final Random rnd = new Random();

    private DebugPopulate(long count, String prefix, int size, boolean random, String type, long elements,
                          long expireMin, long expireMax) {
        this.count = count;
        this.prefix = prefix;
        this.size = size;
        this.random = random;
        this.type = type;
        this.elements = elements;
        this.expireMin = expireMin;
        this.expireMax = expireMax;
    }

    /**
     * Parses {@code DEBUG POPULATE ...} ({@code args} from {@code DEBUG} on).
     *
     * @throws IllegalArgumentException with the error reply's text
     */
    static DebugPopulate parse(List<byte[]> args) {
        if (args.size() < 3) {
            throw new IllegalArgumentException("ERR Unknown subcommand or wrong number of arguments for 'POPULATE'. "
                    + "Try DEBUG HELP.");
        }
        long count = unsigned(args.get(2), 64, UINT_ERR);
        if (count > MAX_COUNT) {
            throw new IllegalArgumentException("ERR DEBUG POPULATE of more than " + MAX_COUNT
                    + " keys is not implemented by the embedded master (it holds its dataset on the heap)");
        }
        String prefix = args.size() > 3 ? text(args.get(3)) : "key";
        long size = args.size() > 4 ? unsigned(args.get(4), 32, UINT_ERR) : 16;
        boolean random = false;
        String type = "STRING";
        long elements = 1;
        long expireMin = -1;
        long expireMax = -1;
        for (int i = 5; i < args.size(); i++) {
            String opt = text(args.get(i)).toUpperCase(Locale.ROOT);
            switch (opt) {
                case "RAND" -> random = true;
                case "TYPE" -> {
                    requireArgs(args, i, 1);
                    type = text(args.get(++i)).toUpperCase(Locale.ROOT);
                }
                case "ELEMENTS" -> {
                    requireArgs(args, i, 1);
                    elements = unsigned(args.get(++i), 32, SYNTAX_ERR);
                }
                case "EXPIRE" -> {
                    requireArgs(args, i, 2);
                    expireMin = unsigned(args.get(++i), 32, SYNTAX_ERR);
                    expireMax = unsigned(args.get(++i), 32, SYNTAX_ERR);
                    if (expireMin >= expireMax) {
                        throw new IllegalArgumentException(EXPIRY_ERR);
                    }
                }
                case "SLOTS" -> throw new IllegalArgumentException(
                        "ERR DEBUG POPULATE SLOTS (cluster mode) is not implemented by the embedded master");
                default -> throw new IllegalArgumentException(SYNTAX_ERR);
            }
        }
        if (type.equals("JSON") || !TYPES.contains(type)) {
            throw new IllegalArgumentException("ERR DEBUG POPULATE TYPE " + type
                    + " is not implemented by the embedded master (it writes " + String.join(", ", TYPES) + ")");
        }
        if (size == 0 && (type.equals("ZSET") || elements > 1)) {
            // Dragonfly divides by the size for these: undefined there, refused here
            throw new IllegalArgumentException(UINT_ERR);
        }
        // values live on the test JVM's heap: refuse what it could not hold rather than fail mid-way
        double bytes = (double) count * Math.max(elements, 1) * (size + 16.0);
        if (bytes > MAX_VALUE_BYTES) {
            throw new IllegalArgumentException("ERR DEBUG POPULATE of " + count + " keys x " + elements
                    + " values of " + size + " bytes is over the embedded master's " + (MAX_VALUE_BYTES >> 30)
                    + " GiB (it holds its dataset on the heap)");
        }
        // under the budget, a value of any populate that writes something fits in an array
        return new DebugPopulate(count, prefix, (int) Math.min(size, Integer.MAX_VALUE - 16), random, type,
                elements, expireMin, expireMax);
    }

    /**
     * Passes every command of the populate to {@code write}, in the order the embedded master runs
     * them: the ranges of {@code threads} runners one after the other, each key's commands in turn.
     */
    void forEachCommand(int threads, Consumer<List<byte[]>> write) {
        long perRunner = count / threads;
        for (int r = 0; r < threads; r++) {
            long from = r * perRunner;
            long to = r == threads - 1 ? count : from + perRunner;
            for (long i = from; i < to; i++) {
                byte[] key = (prefix + ":" + i).getBytes(StandardCharsets.UTF_8);
                keyCommands(key, write);
            }
        }
    }

    private void keyCommands(byte[] key, Consumer<List<byte[]>> write) {
        long left = elements;
        long perCommand = Math.max(32_768L / Math.max(size, 1), 1);
        while (left > 0) {
            long n = Math.min(perCommand, left);
            left -= n;
            List<byte[]> cmd = new ArrayList<>();
            switch (type) {
                case "STRING" -> {
                    cmd.add(b("SET"));
                    cmd.add(key);
                    cmd.add(value(size));
                }
                case "LIST", "SET" -> {
                    cmd.add(b(type.equals("LIST") ? "LPUSH" : "SADD"));
                    cmd.add(key);
                    for (long e = 0; e < n; e++) {
                        cmd.add(value(size));
                    }
                }
                case "HASH", "STREAM" -> {
                    cmd.add(b(type.equals("HASH") ? "HSET" : "XADD"));
                    cmd.add(key);
                    if (type.equals("STREAM")) {
                        cmd.add(b("*"));
                    }
                    for (long e = 0; e < n; e++) {
                        cmd.add(value(size / 2));
                        cmd.add(value(size / 2));
                    }
                }
                default -> { // ZSET
                    cmd.add(b("ZADD"));
                    cmd.add(key);
                    for (long e = 0; e < n; e++) {
                        cmd.add(b(Long.toString(Long.remainderUnsigned(rnd.nextLong(), size))));
                        cmd.add(value(size));
                    }
                }
            }
            write.accept(cmd);
        }
        if (expireMin >= 0) {
            long ttl = expireMin + rnd.nextInt((int) (expireMax - expireMin));
            write.accept(List.of(b("EXPIRE"), key, b(Long.toString(ttl))));
        }
    }

    private byte[] value(int n) {
        byte[] v = new byte[n];
        if (random) {
            for (int i = 0; i < n; i++) {
                v[i] = (byte) HEX[rnd.nextInt(16)];
            }
        } else {
            Arrays.fill(v, (byte) 'x');
        }
        return v;
    }

    private static void requireArgs(List<byte[]> args, int at, int n) {
        if (args.size() < at + 1 + n) {
            throw new IllegalArgumentException(SYNTAX_ERR);
        }
    }

    /** An unsigned decimal of at most {@code bits} bits (below 2^63 for 64). */
    private static long unsigned(byte[] arg, int bits, String error) {
        String s = text(arg);
        if (s.isEmpty() || s.length() > 20 || !s.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            throw new IllegalArgumentException(error);
        }
        try {
            long v = Long.parseLong(s);
            if (bits < 64 && v >>> bits != 0) {
                throw new IllegalArgumentException(error);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(error);
        }
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
