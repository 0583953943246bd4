package io.df2redis.replica.internal;

import io.df2redis.replica.SpillException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Stale spill files: only files of our naming pattern are ever deleted, and only those of a process
 * that is no longer alive or, for this process, of a spill that is no longer open.
 */
class SpillFilesTest {
    private static final long SELF = ProcessHandle.current().pid();

    @Test
    void deletesOnlyStaleFilesOfOurPattern(@TempDir Path dir) throws IOException {
        long open = SpillFiles.register();
        long closed = SpillFiles.register();
        SpillFiles.unregister(closed);
        long otherLive = 7_000_001L;
        long otherDead = 7_000_002L;
        Path deadProcess = touch(dir, "df2redis-spill-" + otherDead + "-4-f0-12.seg");
        Path liveProcess = touch(dir, "df2redis-spill-" + otherLive + "-4-f1-0.seg");
        Path ourClosedSpill = touch(dir, SpillFiles.prefix(closed, 2) + "3.seg");
        Path ourOpenSpill = touch(dir, SpillFiles.prefix(open, 2) + "3.seg");
        Path notOurs = touch(dir, "df2redis-spill-" + otherDead + "-4-f0-12.seg.bak");
        Path userFile = touch(dir, "important.rdb");
        Files.createDirectory(dir.resolve("df2redis-spill-" + otherDead + "-5-f0-1.seg"));
        try {
            int deleted = SpillFiles.deleteStale(dir, pid -> pid == otherLive);
            assertThat(deleted).isEqualTo(2);
            assertThat(deadProcess).doesNotExist();
            assertThat(ourClosedSpill).doesNotExist();
            assertThat(liveProcess).exists();
            assertThat(ourOpenSpill).exists();
            assertThat(notOurs).exists();
            assertThat(userFile).exists();
            assertThat(dir.resolve("df2redis-spill-" + otherDead + "-5-f0-1.seg")).as("a directory").exists();
        } finally {
            SpillFiles.unregister(open);
        }
    }

    @Test
    void theCurrentProcessIsAliveAndANonexistentOneIsNot() {
        assertThat(SpillFiles.alive(SELF)).isTrue();
        assertThat(SpillFiles.alive(Integer.MAX_VALUE - 7L)).isFalse();
    }

    @Test
    void prepareCreatesTheDirectoryOrSaysWhyItCannot(@TempDir Path dir) throws IOException {
        Path nested = dir.resolve("a/b/spill");
        SpillFiles.prepare(nested);
        assertThat(nested).isDirectory();
        Path file = touch(dir, "file");
        assertThatThrownBy(() -> SpillFiles.prepare(file.resolve("sub"))).isInstanceOf(SpillException.class)
                .hasMessageContaining("cannot create the spill directory").hasMessageContaining("PAUSE_READING");
    }

    @Test
    void namesMatchThePattern() {
        String name = SpillFiles.prefix(42, 3) + "17.seg";
        assertThat(SpillFiles.NAME.matcher(name).matches()).isTrue();
        assertThat(name).isEqualTo("df2redis-spill-" + SELF + "-42-f3-17.seg");
    }

    private static Path touch(Path dir, String name) throws IOException {
        return Files.writeString(dir.resolve(name), "x");
    }
}
