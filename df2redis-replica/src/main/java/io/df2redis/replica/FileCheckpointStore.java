package io.df2redis.replica;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A {@link CheckpointStore} in a small text file, for replicators whose consumers keep no
 * checkpoint of their own (listener-only hosts, or a sink without an in-target store).
 *
 * <p><b>Guarantee: at-least-once.</b> The file is written every
 * {@link ReplicatorOptions#checkpointInterval()} (and when a session ends or the replicator stops),
 * not together with what the listener or sink did: after a crash, the entries applied after the
 * last save are delivered again. A consumer that must not apply an entry twice can skip journal
 * entries whose {@link JournalEvent#lsn()} it already applied on that flow. After a clean
 * {@code stop()}/{@code close()} nothing is delivered twice.
 *
 * <p><b>File.</b> UTF-8 lines {@code key=value} (format, master id, flow count, release, protocol
 * version, LSNs, target identity, time saved) ending with a SHA-256 of everything before it. A save
 * writes a temporary file in the same directory, forces it to disk, renames it over the file
 * ({@code ATOMIC_MOVE}) and forces the directory where the platform allows it; the checkpoint it
 * replaces is first kept the same way as {@code <file>.prev}. A file that does not verify (torn,
 * truncated, edited, damaged) is never used: {@link #load()} then returns the previous checkpoint
 * from {@code <file>.prev} if that one verifies, else empty (a full sync follows), with a WARN naming
 * the file either way. A checkpoint saved during a full sync (no LSNs) removes {@code <file>.prev}
 * first, so a damaged file can never lead back to a position from before that full sync.
 *
 * <p>Thread-safe (every method holds this store's lock). Two processes must not share one file.
 *
 * <p>Why one class: the file format (header, fields, checksum), its atomic write (temporary file,
 * fsync, rename, previous copy) and its verifying read are one contract; each half is only correct
 * together with the other.
 */
public final class FileCheckpointStore implements CheckpointStore {
    private static final Logger LOG = LoggerFactory.getLogger(FileCheckpointStore.class);
    private static final int FORMAT = 1;
    private static final int MAX_BYTES = 1 << 20;
    private static final String HEADER = "# df2redis checkpoint (FileCheckpointStore). Do not edit: a SHA-256 protects"
            + " it, and a file that does not verify is not used.\n";
    private static final String CHECKSUM = "sha256=";

    private final Path file;
    private final Path prev;
    private final Path dir;
    private final String tmpPrefix;
    // guarded by this
    private boolean tmpCleaned;

    /**
     * A store in {@code file} (and {@code file + ".prev"}); the directory is created on the first
     * save if needed.
     *
     * @param file the checkpoint file
     */
    public FileCheckpointStore(Path file) {
        Path abs = Objects.requireNonNull(file, "file").toAbsolutePath().normalize();
        if (abs.getFileName() == null) {
            throw new IllegalArgumentException("not a file name: " + file);
        }
        this.file = abs;
        this.dir = abs.getParent();
        this.prev = abs.resolveSibling(abs.getFileName() + ".prev");
        this.tmpPrefix = abs.getFileName() + ".tmp-";
    }

    /** @return the checkpoint file */
    public Path file() {
        return file;
    }

    /** @return the file holding the checkpoint the last save replaced */
    public Path previousFile() {
        return prev;
    }

    /**
     * Reads the checkpoint file; if it is missing or does not verify, the previous checkpoint file;
     * else empty. Logs a WARN naming the file when a file does not verify.
     *
     * @return the checkpoint, or empty
     * @throws CheckpointStoreException when a file exists but cannot be read (permissions, I/O error)
     */
    @Override
    public synchronized Optional<Checkpoint> load() {
        Read current = read(file);
        if (current.checkpoint != null) {
            return Optional.of(current.checkpoint);
        }
        Read previous = read(prev);
        if (current.missing && previous.missing) {
            return Optional.empty();
        }
        String what = current.missing ? "the checkpoint file " + file + " is missing"
                : "the checkpoint file " + file + " is damaged (" + current.problem + ")";
        if (previous.checkpoint != null) {
            LOG.warn("{}; using the previous checkpoint {} ({}): {}", what, prev, previous.checkpoint,
                    previous.checkpoint.resumable() ? "entries applied after it are delivered again"
                            : "it was saved when a full sync started, so a full sync follows");
            return Optional.of(previous.checkpoint);
        }
        LOG.warn("{} and there is no valid previous checkpoint{}: starting without a checkpoint (a full sync follows)",
                what, previous.missing ? "" : " (" + prev + " is damaged: " + previous.problem + ")");
        return Optional.empty();
    }

    /**
     * Writes {@code checkpoint} atomically and durably (temporary file, fsync, atomic rename, fsync of
     * the directory), keeping the checkpoint it replaces in {@code <file>.prev} — except for a
     * checkpoint without LSNs, before which {@code <file>.prev} is removed.
     *
     * @param checkpoint the checkpoint
     * @throws CheckpointStoreException when it could not be written durably; the stored checkpoint
     *     is then unchanged or the previous one
     */
    @Override
    public synchronized void save(Checkpoint checkpoint) {
        byte[] bytes = encode(checkpoint);
        try {
            Files.createDirectories(dir);
            cleanTemporaries();
            if (!checkpoint.resumable()) {
                // a full sync starts: no way back to a position before it, even if the file is damaged later
                Files.deleteIfExists(prev);
                forceDirectory();
            } else {
                byte[] old = readBytes(file);
                if (old != null && verify(old).checkpoint != null) {
                    writeAtomically(prev, old);
                }
            }
            writeAtomically(file, bytes);
        } catch (IOException e) {
            throw new CheckpointStoreException("could not save the checkpoint to " + file + ": " + e
                    + " (check the directory's space and permissions)", e);
        }
    }

    /**
     * Removes the checkpoint file and the previous one.
     *
     * @throws CheckpointStoreException when they could not be removed
     */
    @Override
    public synchronized void clear() {
        try {
            Files.deleteIfExists(file);
            Files.deleteIfExists(prev);
            if (Files.isDirectory(dir)) {
                tmpCleaned = false;
                cleanTemporaries();
                forceDirectory();
            }
        } catch (IOException e) {
            throw new CheckpointStoreException("could not remove the checkpoint " + file + ": " + e, e);
        }
    }

    /** @return {@code FileCheckpointStore[<file>]} */
    @Override
    public String toString() {
        return "FileCheckpointStore[" + file + "]";
    }

    // ---------------------------------------------------------------- file operations

    private void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path tmp = dir.resolve(tmpPrefix + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system of " + dir + " cannot rename atomically", e);
            }
            forceDirectory();
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Forces the directory entry changes (rename, delete) to disk where the platform supports it. */
    private void forceDirectory() {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("cannot force directory {} on this platform: {}", dir, e.toString());
        }
    }

    /** Removes temporary files a crashed save left behind (once per store). */
    private void cleanTemporaries() throws IOException {
        if (tmpCleaned) {
            return;
        }
        tmpCleaned = true;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, p -> p.getFileName().toString()
                .startsWith(tmpPrefix))) {
            for (Path p : ds) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** The file's bytes, or null when it does not exist. */
    private static byte[] readBytes(Path p) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > MAX_BYTES) {
                byte[] head = new byte[MAX_BYTES + 1];
                int n = ch.read(ByteBuffer.wrap(head));
                return java.util.Arrays.copyOf(head, Math.max(n, 0));
            }
            ByteBuffer b = ByteBuffer.allocate((int) size);
            while (b.hasRemaining() && ch.read(b) >= 0) {
                // read fully
            }
            return java.util.Arrays.copyOf(b.array(), b.position());
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private record Read(Checkpoint checkpoint, boolean missing, String problem) {
    }

    private static Read read(Path p) {
        byte[] bytes;
        try {
            bytes = readBytes(p);
        } catch (IOException e) {
            throw new CheckpointStoreException("cannot read the checkpoint file " + p + ": " + e
                    + " (check its permissions, or remove it to start with a full sync)", e);
        }
        if (bytes == null) {
            return new Read(null, true, null);
        }
        return verify(bytes);
    }

    // ---------------------------------------------------------------- format

    private static byte[] encode(Checkpoint c) {
        StringBuilder sb = new StringBuilder(HEADER);
        sb.append("format=").append(FORMAT).append('\n');
        sb.append("master=").append(escape(c.masterId())).append('\n');
        sb.append("flows=").append(c.flowCount()).append('\n');
        sb.append("release=").append(escape(c.release())).append('\n');
        sb.append("protocol=").append(c.protocolVersion()).append('\n');
        sb.append("lsns=");
        for (int i = 0; i < c.nextLsns().size(); i++) {
            sb.append(i == 0 ? "" : ",").append(c.nextLsns().get(i));
        }
        sb.append('\n');
        c.targetIdentity().ifPresent(t -> sb.append("target=").append(escape(t)).append('\n'));
        sb.append("saved=").append(c.savedAt()).append('\n');
        byte[] body = sb.toString().getBytes(StandardCharsets.UTF_8);
        String sum = CHECKSUM + HexFormat.of().formatHex(sha256(body, body.length)) + "\n";
        byte[] s = sum.getBytes(StandardCharsets.US_ASCII);
        byte[] out = java.util.Arrays.copyOf(body, body.length + s.length);
        System.arraycopy(s, 0, out, body.length, s.length);
        return out;
    }

    /** Parses and checks a file's bytes; any deviation from what {@link #encode} writes is a problem. */
    private static Read verify(byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            return problem("larger than " + MAX_BYTES + " bytes");
        }
        if (bytes.length == 0) {
            return problem("empty");
        }
        if (bytes[bytes.length - 1] != '\n') {
            return problem("truncated (no final line end)");
        }
        int lastLine = bytes.length - 1;
        while (lastLine > 0 && bytes[lastLine - 1] != '\n') {
            lastLine--;
        }
        String sumLine = new String(bytes, lastLine, bytes.length - 1 - lastLine, StandardCharsets.US_ASCII);
        if (!sumLine.startsWith(CHECKSUM)) {
            return problem("no checksum line");
        }
        byte[] expected;
        try {
            expected = HexFormat.of().parseHex(sumLine.substring(CHECKSUM.length()));
        } catch (IllegalArgumentException e) {
            return problem("malformed checksum");
        }
        if (!sumLine.equals(CHECKSUM + HexFormat.of().formatHex(expected))) {
            return problem("malformed checksum (not the lower-case hex this library writes)");
        }
        if (!MessageDigest.isEqual(expected, sha256(bytes, lastLine))) {
            return problem("checksum mismatch: torn or modified");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, 0, lastLine))
                    .toString();
        } catch (CharacterCodingException e) {
            return problem("not UTF-8");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : text.split("\n", -1)) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                return problem("malformed line");
            }
            if (fields.put(line.substring(0, eq), line.substring(eq + 1)) != null) {
                return problem("duplicate field " + line.substring(0, eq));
            }
        }
        try {
            if (!String.valueOf(FORMAT).equals(fields.remove("format"))) {
                return problem("unknown format (this version reads format " + FORMAT + ")");
            }
            String master = unescape(required(fields, "master"));
            int flows = Integer.parseInt(required(fields, "flows"));
            String release = unescape(required(fields, "release"));
            int protocol = Integer.parseInt(required(fields, "protocol"));
            String lsnText = required(fields, "lsns");
            List<Long> lsns = new ArrayList<>();
            if (!lsnText.isEmpty()) {
                for (String s : lsnText.split(",", -1)) {
                    lsns.add(Long.parseLong(s));
                }
            }
            String target = fields.remove("target");
            Instant saved = Instant.parse(required(fields, "saved"));
            if (!fields.isEmpty()) {
                return problem("unknown fields " + fields.keySet());
            }
            return new Read(new Checkpoint(master, flows, release, protocol, lsns,
                    Optional.ofNullable(target == null ? null : unescape(target)), saved), false, null);
        } catch (NumberFormatException | DateTimeParseException e) {
            return problem("malformed value: " + e.getMessage());
        } catch (IllegalArgumentException | NullPointerException e) {
            return problem("invalid checkpoint: " + e.getMessage());
        }
    }

    private static Read problem(String what) {
        return new Read(null, false, what);
    }

    private static String required(Map<String, String> fields, String name) {
        String v = fields.remove(name);
        if (v == null) {
            throw new IllegalArgumentException("field " + name + " missing");
        }
        return v;
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r");
    }

    private static String unescape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (++i == s.length()) {
                throw new IllegalArgumentException("dangling escape");
            }
            switch (s.charAt(i)) {
                case '\\' -> sb.append('\\');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                default -> throw new IllegalArgumentException("unknown escape \\" + s.charAt(i));
            }
        }
        return sb.toString();
    }

    private static byte[] sha256(byte[] bytes, int length) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(bytes, 0, length);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
