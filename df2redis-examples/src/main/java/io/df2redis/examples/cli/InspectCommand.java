package io.df2redis.examples.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.df2redis.protocol.journal.JournalDecoder;
import io.df2redis.protocol.rdb.RdbDecoder;
import io.df2redis.protocol.rdb.RdbDecoderOptions;
import io.df2redis.tools.inspect.FlowRecorder;
import io.df2redis.tools.inspect.KeyspaceCollector;
import io.df2redis.tools.inspect.RawJson;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code df2redis inspect FILE}: decodes a Redis RDB file or a Dragonfly snapshot file and prints
 * its keyspace as one JSON document (db → key → {type, value, expire_at_ms}); with
 * {@code --flow}, prints a captured replication flow record by record.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Decode a Redis RDB file or a Dragonfly snapshot (.dfs) and print its keyspace as JSON.",
            "With --flow, print the records and journal entries of a captured Dragonfly replication flow."})
final class InspectCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "RDB / DFS file, or a flow capture with --flow")
    Path file;

    @Option(names = "--flow", description = "FILE is the byte stream of one replication flow (flow-<i>.bin)")
    boolean flow;

    @Option(names = "--include-expired", description = "keep keys whose expiry has already passed")
    boolean includeExpired;

    @Option(names = "--value-limit", paramLabel = "CHARS", defaultValue = "2048",
            description = "with --flow: omit values whose JSON is longer than this (default ${DEFAULT-VALUE})")
    long valueLimit;

    @Option(names = "--start-lsn", paramLabel = "LSN", defaultValue = "0",
            description = "with --flow: the flow holds only a journal (partial sync) starting at this LSN")
    long startLsn;

    @Option(names = "--compact", description = "print JSON on one line")
    boolean compact;

    @Mixin
    LoggingOptions logging;

    @Override
    public Integer call() throws IOException {
        logging.apply();
        checkFile();
        Object doc;
        try {
            doc = flow ? inspectFlow() : inspectFile();
        } catch (io.df2redis.protocol.ProtocolException e) {
            throw new CliException(Df2RedisCli.CORRUPT_INPUT, file + ": " + e.getMessage());
        } catch (IOException e) {
            throw new CliException(Df2RedisCli.FAILURE, file + ": cannot be read (" + e.getMessage() + ")");
        }
        ObjectMapper mapper = mapper(!compact);
        try (OutputStream out = new BufferedOutputStream(System.out, 1 << 16) {
            @Override
            public void close() throws IOException {
                flush();
            }
        }) {
            mapper.writeValue(out, doc);
            out.write('\n');
        }
        return Df2RedisCli.OK;
    }

    /**
     * Plain answers for what is not a snapshot at all: no such file, a directory, an unreadable or
     * empty file, and (without {@code --flow}) a file that does not start with {@code REDIS}.
     */
    private void checkFile() throws IOException {
        if (Files.isDirectory(file)) {
            throw new CliException(Df2RedisCli.FAILURE, file + ": is a directory, not an RDB file");
        }
        if (!Files.exists(file)) {
            throw new CliException(Df2RedisCli.FAILURE, file + ": no such file");
        }
        if (!Files.isReadable(file)) {
            throw new CliException(Df2RedisCli.FAILURE, file + ": not readable (permission denied)");
        }
        if (Files.size(file) == 0) {
            throw new CliException(Df2RedisCli.CORRUPT_INPUT, file + ": the file is empty; "
                    + (flow ? "a captured flow starts with REDIS or a journal record" : "not an RDB file: expected "
                    + "REDIS followed by a 4-digit version at the start"));
        }
        if (!flow) {
            byte[] head;
            try (InputStream in = Files.newInputStream(file)) {
                head = in.readNBytes(9);
            }
            String magic = new String(head, java.nio.charset.StandardCharsets.ISO_8859_1);
            if (!magic.startsWith("REDIS")) {
                throw new CliException(Df2RedisCli.CORRUPT_INPUT, file + ": not an RDB file: expected REDIS followed by "
                        + "a 4-digit version at the start, found " + printable(head)
                        + (head.length >= 4 && (head[0] & 0xFF) == 0x28 && (head[1] & 0xFF) == 0xB5
                        ? " (a zstd frame: decompress the file first)" : head.length >= 2 && (head[0] & 0xFF) == 0x1F
                        && (head[1] & 0xFF) == 0x8B ? " (a gzip file: decompress it first)" : ""));
            }
        }
    }

    /** The first bytes as text where printable, else as hex: {@code 'hello gar'} or {@code 0x1f8b0800}. */
    private static String printable(byte[] head) {
        boolean text = true;
        for (byte b : head) {
            text &= b >= 0x20 && b < 0x7F;
        }
        if (text) {
            return "'" + new String(head, java.nio.charset.StandardCharsets.US_ASCII) + "'";
        }
        StringBuilder sb = new StringBuilder("0x");
        for (byte b : head) {
            sb.append(String.format("%02x", b & 0xFF));
        }
        return sb.toString();
    }

    private Object inspectFile() throws IOException {
        KeyspaceCollector ks = new KeyspaceCollector(includeExpired, System.currentTimeMillis());
        RdbDecoder.decodeFile(file, ks, RdbDecoderOptions.defaults());
        return ks.keyspace();
    }

    private Object inspectFlow() throws IOException {
        FlowRecorder rec = new FlowRecorder(valueLimit, false);
        long size = Files.size(file);
        Map<String, Object> flowDoc = new LinkedHashMap<>();
        flowDoc.put("flow", 0);
        flowDoc.put("file", file.getFileName().toString());
        boolean rdb = startsWithMagic();
        if (rdb && startLsn == 0) {
            RdbDecoder d = RdbDecoder.forFlow(rec);
            rec.attach(d);
            try (InputStream in = Files.newInputStream(file)) {
                RdbDecoder.decodeStream(in, d);
            }
            flowDoc.putAll(rec.summary(size));
        } else {
            JournalDecoder j = new JournalDecoder(rec);
            j.nextLsn(Math.max(1, startLsn));
            ByteBuf cum = Unpooled.buffer();
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buf = new byte[64 * 1024];
                int n;
                while ((n = in.read(buf)) >= 0) {
                    cum.writeBytes(buf, 0, n);
                    j.decode(cum);
                    cum.discardReadBytes();
                }
            }
            j.finish(cum);
            flowDoc.put("bytes", size);
            flowDoc.put("next_lsn_after_stream", j.nextLsn());
            flowDoc.put("records", rec.records());
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("decoder", "df2redis");
        doc.put("value_limit_chars", valueLimit);
        doc.put("flows", List.of(flowDoc));
        return doc;
    }

    private boolean startsWithMagic() throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] m = in.readNBytes(5);
            return m.length == 5 && new String(m, java.nio.charset.StandardCharsets.US_ASCII).equals("REDIS");
        }
    }

    static ObjectMapper mapper(boolean pretty) {
        ObjectMapper m = new ObjectMapper();
        SimpleModule module = new SimpleModule();
        module.addSerializer(RawJson.class, new StdSerializer<>(RawJson.class) {
            @Override
            public void serialize(RawJson v, JsonGenerator g, SerializerProvider p) throws IOException {
                try {
                    g.writeTree(m.readTree(v.text()));
                } catch (IOException e) {
                    g.writeString(v.text()); // not valid JSON: show the text
                }
            }
        });
        m.registerModule(module);
        m.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
        if (pretty) {
            m.enable(SerializationFeature.INDENT_OUTPUT);
        }
        return m;
    }
}
