package io.df2redis.replica.internal;

import io.df2redis.replica.SpillException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.zip.CRC32C;

/**
 * One flow's spill on disk: an append-only log of the undecoded bytes the flow received, in
 * segment files that are deleted as soon as they were read back. Bytes come back exactly as they
 * were appended, in order, whatever the sizes of the appends and reads.
 *
 * <p>Format: a segment is a sequence of records {@code [int length][int crc32c][long spilledAt]
 * [length payload bytes]} (big-endian; {@code spilledAt} is the append's {@link System#nanoTime()},
 * for the age of the oldest spilled byte). A payload is at most {@link #MAX_RECORD} bytes (a longer
 * append becomes several records); a record never spans two segments, and a new segment starts
 * once the current one would grow past the segment size. The log knows how many bytes it wrote to
 * each segment: a file shorter than that (truncated), a length out of range or a checksum that
 * does not match (corrupt) is a {@link SpillException}, never a wait.
 *
 * <p>Thread ownership: confined to one thread (the {@link Spiller}'s spill thread; a test's
 * thread in tests); no field is shared.
 */
final class SpillLog implements AutoCloseable {
    /** Bytes of a record header. */
    static final int HEADER = 16;
    /** Largest payload of one record. */
    static final int MAX_RECORD = 1 << 20;

    private static final Logger LOG = LoggerFactory.getLogger(SpillLog.class);

    /** What {@link #read} returns. */
    record Chunk(ByteBuf data, long nextSpilledAtNanos, long freedBytes) {
    }

    private static final class Segment {
        final Path path;
        final FileChannel ch;
        long size;
        long readPos;

        Segment(Path path, FileChannel ch) {
            this.path = path;
            this.ch = ch;
        }
    }

    private final int flow;
    private final Path dir;
    private final String prefix;
    private final long segmentBytes;
    private final ArrayDeque<Segment> segments = new ArrayDeque<>();
    private final ByteBuffer header = ByteBuffer.allocate(HEADER);
    private final CRC32C crc = new CRC32C();
    private long nextSegment;
    private long readable;
    private long diskBytes;
    private boolean closed;

    /**
     * @param flow the flow, for messages
     * @param dir an existing directory
     * @param prefix the file-name prefix ({@link SpillFiles#prefix}); segments add {@code N.seg}
     * @param segmentBytes the size after which a new segment starts
     */
    SpillLog(int flow, Path dir, String prefix, long segmentBytes) {
        this.flow = flow;
        this.dir = dir;
        this.prefix = prefix;
        this.segmentBytes = segmentBytes;
    }

    /** The bytes {@code payload} bytes take on disk, headers included. */
    static long diskBytes(long payload) {
        long records = Math.max(1, (payload + MAX_RECORD - 1) / MAX_RECORD);
        return payload + HEADER * records;
    }

    /**
     * Appends the readable bytes of {@code data} (its indexes are not changed).
     *
     * @param spilledAtNanos when they arrived ({@link System#nanoTime()})
     * @throws SpillException when a segment cannot be created or written
     */
    void append(ByteBuf data, long spilledAtNanos) {
        ensureOpen();
        int idx = data.readerIndex();
        int left = data.readableBytes();
        while (left > 0) {
            int n = Math.min(left, MAX_RECORD);
            writeRecord(data.nioBuffer(idx, n), spilledAtNanos);
            idx += n;
            left -= n;
        }
    }

    private void writeRecord(ByteBuffer payload, long spilledAtNanos) {
        int n = payload.remaining();
        Segment s = tailFor(HEADER + n);
        crc.reset();
        crc.update(payload.duplicate());
        header.clear();
        header.putInt(n).putInt((int) crc.getValue()).putLong(spilledAtNanos).flip();
        ByteBuffer[] srcs = {header, payload};
        try {
            long written = 0;
            while (written < HEADER + n) {
                written += s.ch.write(srcs);
            }
        } catch (IOException e) {
            throw new SpillException("flow " + flow + ": cannot write the spill segment " + s.path + " (" + e
                    + "): free disk space in " + dir + " or choose another SpillOptions.directory; "
                    + "slowConsumerPolicy(PAUSE_READING) replicates without spilling", e);
        }
        s.size += HEADER + n;
        diskBytes += HEADER + n;
        readable += n;
    }

    private Segment tailFor(int recordBytes) {
        Segment t = segments.peekLast();
        if (t != null && (t.size == 0 || t.size + recordBytes <= segmentBytes)) {
            return t;
        }
        Path p = dir.resolve(prefix + nextSegment++ + ".seg");
        try {
            Segment s = new Segment(p, FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                    StandardOpenOption.WRITE));
            segments.addLast(s);
            return s;
        } catch (IOException e) {
            throw new SpillException("flow " + flow + ": cannot create the spill segment " + p + " (" + e
                    + "): check that " + dir + " is writable and has space, or choose another SpillOptions.directory",
                    e);
        }
    }

    /**
     * Reads the next whole records, at least one and until {@code maxBytes} were read (a record is
     * never split), deleting every segment read to its end.
     *
     * @return the bytes with the time of the next unread record (or of the last one read, when none
     *     is left) and the disk bytes freed; null when nothing is left to read
     * @throws SpillException when a segment is truncated or corrupt
     */
    Chunk read(int maxBytes) {
        ensureOpen();
        if (readable == 0) {
            return null;
        }
        ByteBuf out = ByteBufAllocator.DEFAULT.heapBuffer((int) Math.min(readable, maxBytes + (long) MAX_RECORD));
        long freed = 0;
        long lastAt = 0;
        try {
            while (readable > 0 && out.readableBytes() < maxBytes) {
                Segment s = segments.peekFirst();
                if (s.readPos == s.size) {
                    freed += delete(segments.pollFirst());
                    continue;
                }
                readHeader(s);
                int n = header.getInt();
                int sum = header.getInt();
                lastAt = header.getLong();
                if (n <= 0 || n > MAX_RECORD || s.readPos + HEADER + n > s.size) {
                    throw corrupt(s, "a record length of " + n + " bytes");
                }
                int at = out.writerIndex();
                out.ensureWritable(n);
                readFully(s, out.nioBuffer(at, n), s.readPos + HEADER);
                crc.reset();
                crc.update(out.nioBuffer(at, n));
                if ((int) crc.getValue() != sum) {
                    throw corrupt(s, "a checksum mismatch");
                }
                out.writerIndex(at + n);
                s.readPos += HEADER + n;
                readable -= n;
            }
            while (!segments.isEmpty() && segments.peekFirst().readPos == segments.peekFirst().size) {
                freed += delete(segments.pollFirst());
            }
            long nextAt = lastAt;
            if (readable > 0) {
                readHeader(segments.peekFirst());
                nextAt = header.getLong(8);
            }
            return new Chunk(out, nextAt, freed);
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    private void readHeader(Segment s) {
        header.clear();
        readFully(s, header, s.readPos);
        header.flip();
    }

    private void readFully(Segment s, ByteBuffer dst, long pos) {
        long p = pos;
        try {
            while (dst.hasRemaining()) {
                int r = s.ch.read(dst, p);
                if (r < 0) {
                    throw new SpillException("flow " + flow + ": the spill segment " + s.path + " is truncated at "
                            + p + " bytes (" + s.size + " were written): something outside df2redis changed "
                            + dir + "; give the replicator a directory of its own");
                }
                p += r;
            }
        } catch (IOException e) {
            throw new SpillException("flow " + flow + ": cannot read the spill segment " + s.path + " (" + e
                    + "): check " + dir + " or choose another SpillOptions.directory", e);
        }
    }

    private SpillException corrupt(Segment s, String what) {
        return new SpillException("flow " + flow + ": the spill segment " + s.path + " is corrupt at offset "
                + s.readPos + " (" + what + "): something outside df2redis changed " + dir
                + ", or the disk is failing; give the replicator a directory of its own");
    }

    private long delete(Segment s) {
        try {
            s.ch.close();
        } catch (IOException e) {
            LOG.debug("flow {}: closing {} failed", flow, s.path, e);
        }
        try {
            Files.deleteIfExists(s.path);
        } catch (IOException e) {
            LOG.warn("flow {}: could not delete the spill segment {}: {}", flow, s.path, e.toString());
        }
        diskBytes -= s.size;
        return s.size;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("flow " + flow + ": the spill log is closed");
        }
    }

    /** Payload bytes appended and not read yet. */
    long readableBytes() {
        return readable;
    }

    /** Bytes the segment files hold, headers included. */
    long diskBytes() {
        return diskBytes;
    }

    /** Segment files that exist. */
    int segmentCount() {
        return segments.size();
    }

    /** Deletes every segment; idempotent. */
    @Override
    public void close() {
        closeAndFree();
    }

    /**
     * {@link #close()}, telling how many disk bytes it freed.
     *
     * @return the disk bytes freed
     */
    long closeAndFree() {
        if (closed) {
            return 0;
        }
        closed = true;
        long freed = 0;
        while (!segments.isEmpty()) {
            freed += delete(segments.pollFirst());
        }
        readable = 0;
        return freed;
    }
}
