package io.df2redis.benchmarks;

import io.df2redis.protocol.rdb.RdbDecoder;
import io.df2redis.protocol.rdb.RdbEntry;
import io.df2redis.protocol.rdb.RdbHandler;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * Removes key/value entries from a standard Redis RDB file and writes a new valid CRC64, so
 * that a parser that fails on some entry can still be compared on the rest of the same file.
 * Entry boundaries come from our decoder: an entry runs from its first byte (expiry prefix
 * included) to the start of the next top-level record.
 */
final class RdbFileEditor {
    /** One entry of the file: its key and byte range {@code [start, end)}. */
    record Span(String key, long start, long end) {
    }

    private RdbFileEditor() {
    }

    /** The entries of an RDB file, in file order. */
    static List<Span> entries(byte[] rdb) {
        List<long[]> starts = new ArrayList<>(); // {offset, 1 if entry}
        List<String> keys = new ArrayList<>();
        RdbDecoder[] self = new RdbDecoder[1];
        RdbHandler h = new RdbHandler() {
            private void record() {
                starts.add(new long[] {self[0].recordOffset(), 0});
            }

            @Override
            public void onAux(byte[] key, byte[] value) {
                record();
            }

            @Override
            public void onSelectDb(int db) {
                record();
            }

            @Override
            public void onResizeDb(long dbSize, long expiresSize) {
                record();
            }

            @Override
            public void onSlotInfo(long slot, long slotSize, long expiresSlotSize) {
                record();
            }

            @Override
            public void onFunction(byte[] code) {
                record();
            }

            @Override
            public void onModuleAux(long moduleId, String moduleName, int whenOpcode, long when) {
                record();
            }

            @Override
            public void onEof(long checksum) {
                record();
            }

            @Override
            public void onEntryStart(RdbEntry entry) {
                starts.add(new long[] {entry.offset(), 1});
                keys.add(entry.keyAsString());
            }
        };
        RdbDecoder d = RdbDecoder.forFile(h);
        self[0] = d;
        d.feed(rdb, 0, rdb.length);
        d.finish();
        List<Span> spans = new ArrayList<>();
        int k = 0;
        for (int i = 0; i < starts.size(); i++) {
            if (starts.get(i)[1] == 1) {
                if (i + 1 >= starts.size()) {
                    throw new IllegalStateException("entry without a following record");
                }
                spans.add(new Span(keys.get(k++), starts.get(i)[0], starts.get(i + 1)[0]));
            }
        }
        return Collections.unmodifiableList(spans);
    }

    /**
     * The file without the entries at {@code drop} (indexes into {@code spans}), with its
     * trailing CRC64 recomputed. Requires an RDB file of version ≥ 5 ending in EOF + checksum.
     */
    static byte[] without(byte[] rdb, List<Span> spans, Set<Integer> drop) {
        if (Crc64.of(rdb, 0, rdb.length - 8) != Crc64.readLe(rdb, rdb.length - 8)) {
            throw new IllegalStateException("the file's checksum does not match its CRC64: not editable");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(rdb.length);
        int pos = 0;
        for (int i = 0; i < spans.size(); i++) {
            if (drop.contains(i)) {
                Span s = spans.get(i);
                out.write(rdb, pos, (int) s.start() - pos);
                pos = (int) s.end();
            }
        }
        out.write(rdb, pos, rdb.length - 8 - pos);
        byte[] body = out.toByteArray();
        byte[] result = new byte[body.length + 8];
        System.arraycopy(body, 0, result, 0, body.length);
        long crc = Crc64.of(body, 0, body.length);
        for (int i = 0; i < 8; i++) {
            result[body.length + i] = (byte) (crc >>> (8 * i));
        }
        return result;
    }

    /** Redis's CRC-64 (Jones polynomial, reflected, initial value 0), as stored after EOF. */
    static final class Crc64 {
        private static final long POLY_REFLECTED = 0x95AC9329AC4BC9B5L;
        private static final long[] TABLE = new long[256];

        static {
            for (int i = 0; i < 256; i++) {
                long c = i;
                for (int b = 0; b < 8; b++) {
                    c = (c & 1) != 0 ? (c >>> 1) ^ POLY_REFLECTED : c >>> 1;
                }
                TABLE[i] = c;
            }
            long check = of("123456789".getBytes(StandardCharsets.US_ASCII), 0, 9);
            if (check != 0xe9c6d914c4b8d9caL) {
                throw new AssertionError("CRC64 self-check failed: " + Long.toHexString(check));
            }
        }

        private Crc64() {
        }

        static long of(byte[] b, int off, int len) {
            long crc = 0;
            for (int i = off; i < off + len; i++) {
                crc = TABLE[(int) ((crc ^ b[i]) & 0xFF)] ^ (crc >>> 8);
            }
            return crc;
        }

        static long readLe(byte[] b, int off) {
            long v = 0;
            for (int i = 7; i >= 0; i--) {
                v = (v << 8) | (b[off + i] & 0xFF);
            }
            return v;
        }
    }
}
