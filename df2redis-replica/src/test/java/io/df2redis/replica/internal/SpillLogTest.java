package io.df2redis.replica.internal;

import io.df2redis.replica.SpillException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The spill log on its own: bytes come back identical and in order whatever the sizes of the
 * appends, the reads and the segments; the disk accounting matches the files; segments are deleted
 * once read; a truncated or corrupt segment is a typed error.
 */
class SpillLogTest {

    @Property(tries = 200)
    void bytesComeBackIdenticalAndInOrderAcrossSegments(@ForAll long seed) throws IOException {
        Random rnd = new Random(seed);
        Path dir = Files.createTempDirectory("spill-log");
        try (SpillLog log = new SpillLog(0, dir, "df2redis-spill-1-1-f0-", 64 + rnd.nextInt(4000))) {
            ByteArrayOutputStream in = new ByteArrayOutputStream();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            long written = 0;
            long freed = 0;
            int appends = 1 + rnd.nextInt(60);
            for (int i = 0; i < appends; i++) {
                byte[] chunk = new byte[1 + rnd.nextInt(rnd.nextBoolean() ? 50 : 5000)];
                rnd.nextBytes(chunk);
                in.write(chunk);
                log.append(Unpooled.wrappedBuffer(chunk), i);
                written += SpillLog.diskBytes(chunk.length);
                if (rnd.nextInt(3) == 0) { // reads interleaved with appends
                    freed += drainSome(log, out, rnd);
                }
                assertThat(log.diskBytes()).as("disk bytes = written - freed").isEqualTo(written - freed);
                assertThat(segmentFiles(dir)).hasSize(log.segmentCount());
            }
            while (log.readableBytes() > 0) {
                freed += drainSome(log, out, rnd);
            }
            assertThat(out.toByteArray()).isEqualTo(in.toByteArray());
            assertThat(freed).as("every written byte freed once read").isEqualTo(written);
            assertThat(log.diskBytes()).isZero();
            assertThat(segmentFiles(dir)).as("every segment deleted once read").isEmpty();
            assertThat(log.read(1000)).isNull();
        } finally {
            deleteTree(dir);
        }
    }

    private static long drainSome(SpillLog log, ByteArrayOutputStream out, Random rnd) {
        SpillLog.Chunk c = log.read(1 + rnd.nextInt(6000));
        if (c == null) {
            return 0;
        }
        byte[] b = new byte[c.data().readableBytes()];
        c.data().readBytes(b);
        c.data().release();
        out.writeBytes(b);
        return c.freedBytes();
    }

    @Test
    void appendsLongerThanARecordAreSplitAndJoinedAgain(@TempDir Path dir) {
        byte[] big = new byte[SpillLog.MAX_RECORD * 2 + 12345];
        new Random(3).nextBytes(big);
        try (SpillLog log = new SpillLog(0, dir, "df2redis-spill-1-1-f0-", 1 << 20)) {
            log.append(Unpooled.wrappedBuffer(big), 1);
            assertThat(log.diskBytes()).isEqualTo(SpillLog.diskBytes(big.length)).isEqualTo(big.length + 3L * SpillLog.HEADER);
            assertThat(log.segmentCount()).as("one record per segment here").isEqualTo(3);
            ByteBuf all = Unpooled.buffer();
            SpillLog.Chunk c;
            while ((c = log.read(100)) != null) {
                all.writeBytes(c.data());
                c.data().release();
            }
            byte[] back = new byte[all.readableBytes()];
            all.readBytes(back);
            assertThat(back).isEqualTo(big);
            assertThat(log.segmentCount()).isZero();
        }
    }

    @Test
    void aSegmentIsDeletedAsSoonAsItWasReadAndTheChunkTellsTheNextRecordsTime(@TempDir Path dir) throws IOException {
        try (SpillLog log = new SpillLog(0, dir, "df2redis-spill-1-1-f0-", 100)) {
            for (int i = 1; i <= 4; i++) {
                log.append(Unpooled.wrappedBuffer(new byte[80]), i * 1000L); // 96 bytes: one record per segment
            }
            assertThat(segmentFiles(dir)).hasSize(4);
            SpillLog.Chunk c = log.read(80);
            assertThat(c.data().readableBytes()).isEqualTo(80);
            assertThat(c.nextSpilledAtNanos()).as("time of the next unread record").isEqualTo(2000L);
            assertThat(c.freedBytes()).isEqualTo(96);
            assertThat(segmentFiles(dir)).hasSize(3);
            c.data().release();
            c = log.read(1_000_000);
            assertThat(c.data().readableBytes()).isEqualTo(240);
            assertThat(c.nextSpilledAtNanos()).as("nothing left: the last record's time").isEqualTo(4000L);
            assertThat(segmentFiles(dir)).isEmpty();
            c.data().release();
            log.append(Unpooled.wrappedBuffer(new byte[10]), 5000L);
            assertThat(segmentFiles(dir)).as("a new segment after the last one was deleted").hasSize(1);
        }
        assertThat(segmentFiles(dir)).as("close deletes the rest").isEmpty();
    }

    @Test
    void closeDeletesEverySegmentAndReportsTheBytesFreed(@TempDir Path dir) throws IOException {
        SpillLog log = new SpillLog(0, dir, "df2redis-spill-1-1-f0-", 1000);
        for (int i = 0; i < 10; i++) {
            log.append(Unpooled.wrappedBuffer(new byte[300]), i);
        }
        assertThat(segmentFiles(dir)).hasSizeGreaterThan(1);
        assertThat(log.closeAndFree()).isEqualTo(10L * (300 + SpillLog.HEADER));
        assertThat(segmentFiles(dir)).isEmpty();
        assertThat(log.closeAndFree()).as("idempotent").isZero();
    }

    @Test
    void aTruncatedSegmentIsATypedError(@TempDir Path dir) throws IOException {
        SpillLog log = new SpillLog(3, dir, "df2redis-spill-1-1-f3-", 1 << 20);
        log.append(Unpooled.wrappedBuffer(new byte[500]), 1);
        log.append(Unpooled.wrappedBuffer(new byte[500]), 2);
        try (FileChannel ch = FileChannel.open(segmentFiles(dir).get(0), StandardOpenOption.WRITE)) {
            ch.truncate(700);
        }
        SpillLog.Chunk first = log.read(100);
        first.data().release();
        assertThatThrownBy(() -> log.read(100)).isInstanceOf(SpillException.class)
                .hasMessageContaining("flow 3").hasMessageContaining("truncated");
        log.close();
    }

    @Test
    void aCorruptPayloadIsATypedError(@TempDir Path dir) throws IOException {
        SpillLog log = new SpillLog(1, dir, "df2redis-spill-1-1-f1-", 1 << 20);
        log.append(Unpooled.wrappedBuffer(new byte[500]), 1);
        flipByte(segmentFiles(dir).get(0), SpillLog.HEADER + 10);
        assertThatThrownBy(() -> log.read(100)).isInstanceOf(SpillException.class)
                .hasMessageContaining("corrupt").hasMessageContaining("checksum");
        log.close();
    }

    @Test
    void aCorruptLengthIsATypedError(@TempDir Path dir) throws IOException {
        SpillLog log = new SpillLog(1, dir, "df2redis-spill-1-1-f1-", 1 << 20);
        log.append(Unpooled.wrappedBuffer(new byte[500]), 1);
        flipByte(segmentFiles(dir).get(0), 1); // the length's second byte: far beyond what was written
        assertThatThrownBy(() -> log.read(100)).isInstanceOf(SpillException.class)
                .hasMessageContaining("corrupt").hasMessageContaining("record length");
        log.close();
    }

    @Test
    void anUnwritableDirectoryIsATypedError(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        SpillLog log = new SpillLog(2, file, "df2redis-spill-1-1-f2-", 1 << 20);
        assertThatThrownBy(() -> log.append(Unpooled.wrappedBuffer(new byte[5]), 1)).isInstanceOf(SpillException.class)
                .hasMessageContaining("flow 2").hasMessageContaining("cannot create the spill segment");
        log.close();
    }

    private static void flipByte(Path f, long pos) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.seek(pos);
            int b = raf.read();
            raf.seek(pos);
            raf.write(b ^ 0x40);
        }
    }

    static List<Path> segmentFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".seg")).sorted().toList();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
