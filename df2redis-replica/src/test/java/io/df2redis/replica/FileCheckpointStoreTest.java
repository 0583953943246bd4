package io.df2redis.replica;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The file checkpoint store: round trip, atomic replacement with the previous checkpoint kept, a
 * damaged file (torn, truncated, flipped, extended at any byte) never read as a checkpoint — the
 * previous one or none instead — and concurrent saves and loads that only ever see whole
 * checkpoints.
 */
class FileCheckpointStoreTest {
    private static final String MASTER = "0123456789abcdef0123456789abcdef01234567";

    @TempDir
    Path dir;

    private static Checkpoint cp(long... lsns) {
        return new Checkpoint(MASTER, lsns.length == 0 ? 2 : lsns.length, "df-v1.40.1", 5,
                Arrays.stream(lsns).boxed().toList(), Optional.of("redis 127.0.0.1:6379 run_id=abc"),
                Instant.parse("2025-05-06T07:08:09.123456789Z").plusSeconds(lsns.length == 0 ? 0 : lsns[0]));
    }

    @Test
    void roundTripOfEveryField() {
        FileCheckpointStore store = new FileCheckpointStore(dir.resolve("sub/dir/ckpt"));
        assertThat(store.load()).isEmpty();
        Checkpoint odd = new Checkpoint(MASTER, 3, "df-v1.40.1\nx\\n=", -1, List.of(0L, 7L, Long.MAX_VALUE),
                Optional.of("tärget\\ with\r\nnew lines = and \\n escapes"), Instant.EPOCH);
        store.save(odd);
        assertThat(store.load()).contains(odd);
        assertThat(new FileCheckpointStore(dir.resolve("sub/dir/ckpt")).load()).as("another instance").contains(odd);
        Checkpoint noTarget = new Checkpoint(MASTER, 1, "", 4, List.of(5L), Optional.empty(), Instant.now());
        store.save(noTarget);
        assertThat(store.load()).contains(noTarget);
        Checkpoint fullSync = cp();
        assertThat(fullSync.resumable()).isFalse();
        store.save(fullSync);
        assertThat(store.load()).contains(fullSync);
        assertThat(store.load().orElseThrow().nextLsnArray()).isEmpty();
    }

    @Test
    void theReplacedCheckpointIsKeptAsPrevious() throws IOException {
        FileCheckpointStore store = new FileCheckpointStore(dir.resolve("ckpt"));
        store.save(cp(1, 2));
        store.save(cp(3, 4));
        assertThat(store.previousFile()).exists();
        Files.delete(store.file());
        assertThat(store.load()).as("file gone: the previous one").contains(cp(1, 2));
        store.save(cp(5, 6));
        assertThat(store.load()).contains(cp(5, 6));
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("ckpt", "ckpt.prev");
        }
        store.clear();
        assertThat(store.load()).isEmpty();
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void aCheckpointWithoutLsnsCutsTheWayBackToOlderPositions() throws IOException {
        FileCheckpointStore store = new FileCheckpointStore(dir.resolve("ckpt"));
        store.save(cp(1, 2));
        store.save(cp(3, 4));
        store.save(cp()); // a full sync starts
        assertThat(store.previousFile()).doesNotExist();
        Files.write(store.file(), new byte[] {'x'});
        assertThat(store.load()).as("damaged; never back to LSNs 3, 4 over an emptied target").isEmpty();
        store.save(cp(9, 9)); // the damaged file is not kept as the previous one
        assertThat(store.previousFile()).doesNotExist();
        store.save(cp(10, 10));
        assertThat(store.load()).contains(cp(10, 10));
        Files.write(store.file(), new byte[0]);
        assertThat(store.load()).contains(cp(9, 9));
    }

    @Test
    void leftoverTemporaryFilesAreRemoved() throws IOException {
        Files.writeString(dir.resolve("ckpt.tmp-123"), "half a checkpoint");
        FileCheckpointStore store = new FileCheckpointStore(dir.resolve("ckpt"));
        store.save(cp(1, 1));
        assertThat(dir.resolve("ckpt.tmp-123")).doesNotExist();
        assertThat(store.load()).contains(cp(1, 1));
    }

    @Test
    void anUnreadableFileIsATypedErrorNamingIt() throws IOException {
        Path p = dir.resolve("ckpt");
        Files.createDirectory(p); // reading a directory fails (file permissions do not stop root)
        FileCheckpointStore store = new FileCheckpointStore(p);
        assertThatThrownBy(store::load).isInstanceOf(CheckpointStoreException.class).hasMessageContaining(p.toString());
        assertThatThrownBy(() -> store.save(cp(1, 1))).isInstanceOf(CheckpointStoreException.class)
                .hasMessageContaining(p.toString());
    }

    @Test
    void otherFormatsAndEditedFilesAreNotUsed() throws IOException {
        FileCheckpointStore store = new FileCheckpointStore(dir.resolve("ckpt"));
        store.save(cp(1, 2));
        String text = Files.readString(store.file());
        Files.writeString(store.file(), text.replace("lsns=1,2", "lsns=1,3"));
        assertThat(store.load()).as("edited by hand").isEmpty();
        Files.writeString(store.file(), text.replace("\n", "\r\n"));
        assertThat(store.load()).as("line ends changed").isEmpty();
        Files.writeString(store.file(), text.replace("sha256=", "sha256=".toUpperCase()));
        assertThat(store.load()).isEmpty();
        int sum = text.indexOf("sha256=") + "sha256=".length();
        String upper = text.substring(0, sum) + text.substring(sum).toUpperCase(java.util.Locale.ROOT);
        Files.writeString(store.file(), upper);
        assertThat(store.load()).as("checksum in upper case (a flipped 0x20 bit)").isEmpty();
        Files.writeString(store.file(), text);
        assertThat(store.load()).contains(cp(1, 2));
    }

    // ---------------------------------------------------------------- damage at every byte

    /** How a file is damaged: a torn (truncated) write, flipped bits, garbage over a range, or more bytes. */
    enum Damage { TRUNCATE, FLIP, OVERWRITE, ZERO_TAIL, APPEND }

    record Case(Damage damage, double position, int length, byte value, boolean withPrevious,
                boolean fullSyncBetween) {
    }

    @Provide
    Arbitrary<Case> cases() {
        return Combinators.combine(Arbitraries.of(Damage.class), Arbitraries.doubles().between(0, 1),
                Arbitraries.integers().between(1, 40), Arbitraries.bytes(), Arbitraries.of(true, false),
                Arbitraries.of(true, false)).as(Case::new);
    }

    /**
     * Whatever happens to the newest file, {@code load()} returns it unchanged, or the previous
     * checkpoint, or nothing — never a checkpoint that was not saved, never one from before a full
     * sync, never an exception.
     */
    @Property(tries = 400)
    void aDamagedFileIsNeverReadAsACheckpoint(@ForAll("cases") Case c) throws IOException {
        Path d = Files.createTempDirectory("ckpt");
        try {
            FileCheckpointStore store = new FileCheckpointStore(d.resolve("ckpt"));
            Checkpoint older = cp(10, 20);
            Checkpoint newest = cp(30, 40);
            if (c.withPrevious()) {
                store.save(older);
            }
            if (c.fullSyncBetween()) {
                store.save(cp());
            }
            store.save(newest);
            byte[] good = Files.readAllBytes(store.file());
            byte[] bad = damage(good, c);
            Files.write(store.file(), bad);
            Optional<Checkpoint> loaded = store.load();
            if (Arrays.equals(good, bad)) {
                assertThat(loaded).contains(newest);
            } else if (c.fullSyncBetween()) {
                assertThat(loaded).as("previous = the full-sync checkpoint").contains(cp());
            } else if (c.withPrevious()) {
                assertThat(loaded).contains(older);
            } else {
                assertThat(loaded).isEmpty();
            }
        } finally {
            try (var files = Files.list(d)) {
                for (Path p : files.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(d);
        }
    }

    private static byte[] damage(byte[] good, Case c) {
        int at = (int) Math.min(good.length - 1, Math.floor(c.position() * good.length));
        byte[] b = good.clone();
        switch (c.damage()) {
            case TRUNCATE:
                return Arrays.copyOf(good, at);
            case FLIP:
                b[at] ^= (byte) (c.value() == 0 ? 1 : c.value());
                return b;
            case OVERWRITE:
                for (int i = at; i < Math.min(b.length, at + c.length()); i++) {
                    b[i] = c.value();
                }
                return b;
            case ZERO_TAIL:
                Arrays.fill(b, at, b.length, (byte) 0);
                return b;
            case APPEND:
                byte[] more = Arrays.copyOf(good, good.length + c.length());
                Arrays.fill(more, good.length, more.length, c.value());
                return more;
            default:
                throw new AssertionError(c);
        }
    }

    // ---------------------------------------------------------------- concurrency

    @Test
    void concurrentSavesAndLoadsOnlySeeWholeCheckpoints() throws Exception {
        Path p = dir.resolve("ckpt");
        FileCheckpointStore writerStore = new FileCheckpointStore(p);
        FileCheckpointStore otherStore = new FileCheckpointStore(p); // a second instance: no shared lock
        Set<Checkpoint> saved = ConcurrentHashMap.newKeySet();
        Checkpoint first = cp(1, 1);
        writerStore.save(first);
        saved.add(first);
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        List<Checkpoint> seen = new CopyOnWriteArrayList<>();
        AtomicBoolean done = new AtomicBoolean();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < 3; w++) {
            int id = w;
            threads.add(new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < 60; i++) {
                        Checkpoint c = cp(100 + id, i);
                        saved.add(c); // before the save: a load may see it as soon as the rename is done
                        writerStore.save(c);
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            }));
        }
        for (FileCheckpointStore reader : List.of(writerStore, otherStore, otherStore)) {
            threads.add(new Thread(() -> {
                try {
                    start.await();
                    while (!done.get()) {
                        Optional<Checkpoint> c = reader.load();
                        assertThat(c).as("a load during saves").isPresent();
                        seen.add(c.get());
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            }));
        }
        threads.forEach(Thread::start);
        start.countDown();
        for (Thread t : threads.subList(0, 3)) {
            t.join();
        }
        done.set(true);
        for (Thread t : threads) {
            t.join();
        }
        assertThat(errors).isEmpty();
        assertThat(seen).isNotEmpty();
        assertThat(saved).containsAll(seen);
        assertThat(saved).contains(writerStore.load().orElseThrow());
    }
}
