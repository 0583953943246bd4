package io.df2redis.examples.cli;

import io.df2redis.examples.cli.CliSyncFixture.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static io.df2redis.examples.cli.CliSyncFixture.run;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code inspect} says plainly what is wrong with a file that is not a snapshot, naming it. */
class InspectErrorsTest {
    @TempDir
    Path dir;

    @Test
    void emptyFileDirectoryGarbageAndMissingFile() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.rdb"));
        Result r = run("inspect", empty.toString());
        assertThat(r.code()).isEqualTo(Df2RedisCli.CORRUPT_INPUT);
        assertThat(r.err()).contains(empty + ": the file is empty; not an RDB file: expected REDIS");

        r = run("inspect", dir.toString());
        assertThat(r.code()).isEqualTo(Df2RedisCli.FAILURE);
        assertThat(r.err()).contains(dir + ": is a directory, not an RDB file");

        Path garbage = Files.writeString(dir.resolve("notes.txt"), "hello, this is text\n");
        r = run("inspect", garbage.toString());
        assertThat(r.code()).isEqualTo(Df2RedisCli.CORRUPT_INPUT);
        assertThat(r.err()).contains(garbage + ": not an RDB file: expected REDIS").contains("found 'hello, th'");

        Path gz = Files.write(dir.resolve("dump.rdb.gz"), new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3});
        r = run("inspect", gz.toString());
        assertThat(r.err()).contains("a gzip file: decompress it first");

        r = run("inspect", dir.resolve("missing.rdb").toString());
        assertThat(r.code()).isEqualTo(Df2RedisCli.FAILURE);
        assertThat(r.err()).contains(dir.resolve("missing.rdb") + ": no such file");

        Path emptyFlow = Files.createFile(dir.resolve("flow-0.bin"));
        r = run("inspect", "--flow", emptyFlow.toString());
        assertThat(r.err()).contains(emptyFlow + ": the file is empty");
    }

    @Test
    void truncatedRdbNamesTheFile() throws Exception {
        Path cut = Files.writeString(dir.resolve("cut.rdb"), "REDIS0011");
        Result r = run("inspect", cut.toString());
        assertThat(r.code()).isEqualTo(Df2RedisCli.CORRUPT_INPUT);
        assertThat(r.err()).startsWith("df2redis: " + cut + ": ");
    }
}
