package io.df2redis.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.df2redis.protocol.internal.CompactReader;
import io.df2redis.protocol.internal.CompactWriter;
import io.df2redis.protocol.journal.JournalEncoder;
import io.df2redis.protocol.journal.JournalOp;
import io.df2redis.protocol.rdb.Compression;
import io.df2redis.protocol.rdb.RdbDecoderOptions;
import io.df2redis.protocol.rdb.RdbEncoder;
import io.df2redis.protocol.rdb.RdbKeyValue;
import io.df2redis.protocol.rdb.RdbOpcodes;
import io.df2redis.protocol.rdb.RdbRecords;
import io.df2redis.protocol.rdb.RdbType;
import io.df2redis.protocol.rdb.RdbValue;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** Exact bytes from the spec's examples, compact-encoding branches, and API guards. */
class CodecExamplesTest {
    private static final RdbEncoder ENC = RdbEncoder.dragonfly();

    static String hex(java.util.function.Consumer<ByteBuf> w) {
        ByteBuf b = Unpooled.buffer();
        w.accept(b);
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        return HexFormat.ofDelimiter(" ").withUpperCase().formatHex(out);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void packedUintsAsInSpec22() {
        assertThat(hex(o -> RdbRecords.writeLength(o, 0))).isEqualTo("00");
        assertThat(hex(o -> RdbRecords.writeLength(o, 63))).isEqualTo("3F");
        assertThat(hex(o -> RdbRecords.writeLength(o, 64))).isEqualTo("40 40");
        assertThat(hex(o -> RdbRecords.writeLength(o, 300))).isEqualTo("41 2C");
        assertThat(hex(o -> RdbRecords.writeLength(o, 16383))).isEqualTo("7F FF");
        assertThat(hex(o -> RdbRecords.writeLength(o, 16384))).isEqualTo("80 00 00 40 00");
        assertThat(hex(o -> RdbRecords.writeLength(o, 70000))).isEqualTo("80 00 01 11 70");
        assertThat(hex(o -> RdbRecords.writeLength(o, 4294967295L))).isEqualTo("80 FF FF FF FF");
        assertThat(hex(o -> RdbRecords.writeLength(o, 4294967296L))).isEqualTo("81 00 00 00 01 00 00 00 00");
        assertThat(hex(o -> RdbRecords.writeLengthUnsigned(o, -1))).isEqualTo("81 FF FF FF FF FF FF FF FF");
    }

    @Test
    void rdbStringsAsInSpec23() {
        assertThat(hex(o -> ENC.writeString(o, "12345"))).isEqualTo("C1 39 30");
        assertThat(hex(o -> ENC.writeString(o, "-7"))).isEqualTo("C0 F9");
        assertThat(hex(o -> ENC.writeString(o, "2147483647"))).isEqualTo("C2 FF FF FF 7F");
        assertThat(hex(o -> ENC.writeString(o, "-2147483648"))).isEqualTo("C2 00 00 00 80");
        assertThat(hex(o -> ENC.writeString(o, "64"))).isEqualTo("C0 40");
        assertThat(hex(o -> ENC.writeString(o, "12345678901234"))).startsWith("0E 31");
        assertThat(hex(o -> ENC.writeString(o, "2147483648"))).startsWith("0A 32");
        for (String plain : new String[] {"007", "-0", "+1", " 1", "1 ", "", "-"}) {
            assertThat(hex(o -> ENC.writeString(o, plain))).as(plain)
                    .isEqualTo(hex(o -> RdbRecords.writeRawString(o, ascii(plain))));
        }
        assertThat(hex(o -> ENC.writeLongLongAsString(o, -1))).isEqualTo("C0 FF");
        // LZF only when enabled, for > 20 bytes that compress well
        RdbEncoder lzf = RdbEncoder.builder().lzfStrings(true).build();
        String rep = "abcabcabcabcabcabcabcabcabcabcabcabc";
        assertThat(hex(o -> lzf.writeString(o, rep))).startsWith("C3");
        assertThat(hex(o -> ENC.writeString(o, rep))).startsWith("24");
        assertThat(hex(o -> lzf.writeString(o, "abcabcabcabcabcabcab"))).startsWith("14"); // 20 bytes: never
        byte[] random = new byte[100];
        new java.util.Random(1).nextBytes(random);
        assertThat(hex(o -> lzf.writeString(o, random))).startsWith("40 64"); // incompressible: plain
    }

    @Test
    void journalItemsAsInSpec10() {
        assertThat(HexFormat.ofDelimiter(" ").withUpperCase().formatHex(JournalEncoder.commandItem(0, "SET", "k", "v2")))
                .isEqualTo("06 00 0A 00 01 03 06 03 53 45 54 01 6B 02 76 32");
        assertThat(hex(o -> JournalEncoder.writeCommand(o, JournalOp.EXPIRED, 0, 1, JournalEncoder.args("DEL", "k"))))
                .isEqualTo("09 00 01 02 04 03 44 45 4C 01 6B");
        assertThat(HexFormat.ofDelimiter(" ").withUpperCase().formatHex(
                JournalEncoder.item(0, JournalOp.COMMAND, 7, 1, JournalEncoder.args("LPUSH", "l", "c"))))
                .isEqualTo("06 00 0A 07 01 03 07 05 4C 50 55 53 48 01 6C 01 63");
        assertThat(hex(JournalEncoder::writePing)).isEqualTo("0D");
        assertThat(hex(o -> JournalEncoder.writeLsn(o, 300))).isEqualTo("0F 41 2C");
        assertThat(JournalEncoder.item(3, JournalOp.PING, 0, 0, List.of())).containsExactly(0x0D);
        // a JOURNAL_BLOB of the SET item (spec §10.3)
        assertThat(hex(o -> ENC.writeJournalBlob(o, JournalEncoder.commandItem(0, "SET", "k", "v2"))))
                .isEqualTo("D2 01 10 06 00 0A 00 01 03 06 03 53 45 54 01 6B 02 76 32");
        assertThatThrownBy(() -> JournalEncoder.writeCommand(Unpooled.buffer(), JournalOp.PING, 0, 1,
                JournalEncoder.args("X"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JournalEncoder.writeCommand(Unpooled.buffer(), JournalOp.COMMAND, 0, 1, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JournalEncoder.writeSelect(Unpooled.buffer(), 65536))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void recordsAndTaggedChunksAsInSpec() {
        RdbKeyValue s = new RdbKeyValue(ascii("s"), RdbType.SET, RdbValue.set("m1", "m2", "m3"), -1, 0, 0);
        List<byte[]> pieces = ENC.entryPieces(s, 10);
        assertThat(hex(o -> RdbRecords.writeTaggedChunk(o, 1, pieces.get(0))))
                .isEqualTo("E0 01 00 00 00 0A 00 00 00 02 01 73 03 02 6D 31 02 6D 32");
        assertThat(hex(o -> RdbRecords.writeTaggedChunk(o, 1, pieces.get(1))))
                .isEqualTo("E0 01 00 00 00 03 00 00 00 02 6D 33");
        RdbKeyValue mc = RdbKeyValue.of("k", RdbValue.string("v")).withExpireAtMs(0x0102030405L).withDfMask(false, 42);
        assertThat(hex(o -> ENC.writeEntry(o, mc)))
                .isEqualTo("FC 05 04 03 02 01 00 00 00 DC 02 00 00 00 2A 00 00 00 00 01 6B 01 76");
        assertThat(hex(RdbRecords::writeFullSyncEnd)).isEqualTo("C8 00 00 00 00 00 00 00 00");
        assertThat(hex(o -> RdbRecords.writeJournalOffset(o, 1))).isEqualTo("D3 01 00 00 00 00 00 00 00");
        assertThat(hex(ENC::writeEof)).isEqualTo("FF 00 00 00 00 00 00 00 00");
        assertThat(hex(ENC::writeHeader)).isEqualTo("52 45 44 49 53 30 30 30 39");
        assertThat(hex(RdbEncoder.builder().rdbVersion(3).build()::writeEof)).isEqualTo("FF");
        // the v1.30.3 hash of spec §10.2 as HASH_ZIPLIST
        assertThat(hex(o -> ENC.writeEntry(o, RdbKeyValue.of("h", RdbValue.hash("f", "v")).withType(RdbType.HASH_ZIPLIST))))
                .isEqualTo("0D 01 68 11 11 00 00 00 0D 00 00 00 02 00 00 01 66 03 01 76 FF");
    }

    @Test
    void zsetScoresAsDragonflyWritesThem() {
        String[][] cases = {{"1e100", "1e100"}, {"3.141592653589793", "3.141592653589793"}, {"-0.1", "-0.1"},
            {"0.000001", "0.000001"}, {"1e-7", "1e-7"}, {"1.5e20", "150000000000000000000"},
            {"1e21", "1e21"}, {"2.5e-300", "2.5e-300"}, {"0.1", "0.1"}, {"123456.789", "123456.789"}};
        for (String[] c : cases) {
            double d = Double.parseDouble(c[0]);
            String text = new String(listpackScore(d), StandardCharsets.US_ASCII);
            assertThat(text).as(c[0]).isEqualTo(c[1]);
        }
        // integral scores within ±2^62 are listpack integers, beyond that text
        assertThat(listpackScore(0x1p62)).isNull();
        assertThat(listpackScore(-0x1p62)).isNull();
        assertThat(new String(listpackScore(0x1p63), StandardCharsets.US_ASCII)).isEqualTo("9223372036854776000");
    }

    /** The score entry of a one-member ZSET_LISTPACK: its text, or null when it is an integer entry. */
    private static byte[] listpackScore(double d) {
        RdbValue.ZSetValue z = RdbValue.zset(List.of(ascii("m")), new double[] {d});
        ByteBuf b = Unpooled.buffer();
        ENC.writeValue(b, RdbType.ZSET_LISTPACK, z);
        b.skipBytes(1 + (b.getUnsignedByte(0) < 64 ? 0 : 1)); // RDB string header
        byte[] lp = new byte[b.readableBytes()];
        b.readBytes(lp);
        CompactReader r = CompactReader.listpack(lp);
        r.next();
        r.next();
        return r.isInt() ? null : r.bytes();
    }

    /** Every integer/string width of the compact encodings reads back through CompactReader. */
    @Property(tries = 300)
    void compactEncodingsRoundTrip(@ForAll long seed) {
        Gen g = new Gen(seed);
        List<byte[]> els = new ArrayList<>();
        int n = g.between(0, 60);
        for (int i = 0; i < n; i++) {
            els.add(g.chance(10) ? g.repetitive(g.between(4000, 20000)) : g.element());
        }
        for (CompactReader r : List.of(CompactReader.listpack(CompactWriter.listpack(els)),
                CompactReader.ziplist(CompactWriter.ziplist(els)))) {
            List<Bin> back = new ArrayList<>();
            while (r.next()) {
                back.add(Bin.of(r.bytes()));
            }
            assertThat(back).containsExactlyElementsOf(Model.bins(els));
        }
        long[] ints = new long[g.between(0, 30)];
        for (int i = 0; i < ints.length; i++) {
            ints[i] = g.r.nextLong() >> g.r.nextInt(64);
        }
        byte[] is = CompactWriter.intset(ints);
        CompactReader r = CompactReader.intset(is);
        long[] sorted = ints.clone();
        java.util.Arrays.sort(sorted);
        for (long v : sorted) {
            assertThat(r.next()).isTrue();
            assertThat(r.intValue()).isEqualTo(v);
        }
        assertThat(r.next()).isFalse();
        assertThat(((CompactReader.Intset) CompactReader.intset(is)).width()).isEqualTo(CompactWriter.intsetWidth(ints));
    }

    @Test
    void listpackAndZiplistIntegerEncodings() {
        // one value per listpack integer branch, and the string length branches
        Object[][] lp = {{"0", "00"}, {"127", "7F"}, {"128", "C0 80"}, {"-1", "DF FF"}, {"-4096", "D0 00"},
            {"4095", "CF FF"}, {"4096", "F1 00 10"}, {"-32768", "F1 00 80"}, {"32768", "F2 00 80 00"},
            {"8388608", "F3 00 00 80 00"}, {"2147483648", "F4 00 00 00 80 00 00 00 00"}, {"a", "81 61"}};
        for (Object[] c : lp) {
            byte[] b = CompactWriter.listpack(List.of(ascii((String) c[0])));
            String entry = HexFormat.ofDelimiter(" ").withUpperCase().formatHex(b, 6, b.length - 2);
            assertThat(entry).as((String) c[0]).isEqualTo(c[1]);
        }
        Object[][] zl = {{"0", "F1"}, {"12", "FD"}, {"13", "FE 0D"}, {"-128", "FE 80"}, {"128", "C0 80 00"},
            {"32768", "F0 00 80 00"}, {"8388608", "D0 00 00 80 00"}, {"2147483648", "E0 00 00 00 80 00 00 00 00"},
            {"a", "01 61"}};
        for (Object[] c : zl) {
            byte[] b = CompactWriter.ziplist(List.of(ascii((String) c[0])));
            String entry = HexFormat.ofDelimiter(" ").withUpperCase().formatHex(b, 11, b.length - 1);
            assertThat(entry).as((String) c[0]).isEqualTo(c[1]);
        }
        // long strings: listpack 12-bit / 32-bit headers, ziplist 14-bit / 32-bit BE headers
        assertThat(CompactWriter.listpack(List.of(new byte[100]))[6] & 0xFF).isEqualTo(0xE0);
        assertThat(CompactWriter.listpack(List.of(new byte[5000]))[6] & 0xFF).isEqualTo(0xF0);
        assertThat(CompactWriter.ziplist(List.of(new byte[100]))[11] & 0xFF).isEqualTo(0x40);
        assertThat(CompactWriter.ziplist(List.of(new byte[20000]))[11] & 0xFF).isEqualTo(0x80);
        // backlen of a 200-byte entry takes 2 bytes, of a 20000-byte entry 3
        assertThat(CompactWriter.listpack(List.of(new byte[200])).length).isEqualTo(6 + 2 + 200 + 2 + 1);
        assertThat(CompactWriter.listpack(List.of(new byte[20000])).length).isEqualTo(6 + 5 + 20000 + 3 + 1);
    }

    @Test
    void bigCompressedBlobsDecode() {
        // legit blobs with extreme ratios pass the decoder's ratio bounds
        byte[] zeros = new byte[16 << 20];
        ByteBuf records = Unpooled.buffer();
        ENC.writeEntry(records, RdbKeyValue.of("z", RdbValue.string(zeros)));
        byte[] rec = new byte[records.readableBytes()];
        records.readBytes(rec);
        for (Compression c : Compression.values()) {
            ByteBuf out = Unpooled.buffer();
            ENC.writeHeader(out);
            ENC.writeCompressedBlob(out, c, rec);
            ENC.writeEof(out);
            byte[] bytes = new byte[out.readableBytes()];
            out.readBytes(bytes);
            assertThat(bytes.length).isLessThan(200_000);
            Recorder r = Decode.rdb(bytes, false, RdbDecoderOptions.defaults(), Decode.Split.WHOLE, 1);
            assertThat(r.entries.values()).containsExactly(Model.expected(0, RdbKeyValue.of("z",
                    RdbValue.string(zeros))));
        }
    }

    @Test
    void invalidCombinationsAreRejected() {
        assertThatThrownBy(() -> RdbKeyValue.of("k", RdbValue.string("v")).withType(RdbType.LIST))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RdbKeyValue.of("k", RdbValue.set("a")).withType(RdbType.SET_INTSET))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ENC.encodeEntry(RdbKeyValue.of("k", RdbValue.set("1")).withType(RdbType.SET_LISTPACK)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version");
        assertThatThrownBy(() -> RdbEncoder.builder().rdbVersion(11).build()
                .encodeEntry(RdbKeyValue.of("k", RdbValue.json("1")).withType(RdbType.JSON_OLD)))
                .isInstanceOf(IllegalArgumentException.class);
        RdbValue.HashValue ms = new RdbValue.HashValue(List.of(ascii("f")), List.of(ascii("v")),
                new long[] {RdbOpcodes.MEMBER_EXPIRY_BASE * 1000 + 1});
        assertThatThrownBy(() -> ENC.encodeEntry(RdbKeyValue.of("k", ms))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("whole seconds");
        assertThatThrownBy(() -> RdbRecords.writeTaggedChunk(Unpooled.buffer(), 0, new byte[1]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RdbRecords.writeTaggedChunk(Unpooled.buffer(), 1, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RdbRecords.writeEofToken(Unpooled.buffer(), "short"))
                .isInstanceOf(IllegalArgumentException.class);
        // the defaults Dragonfly v1.40 would choose
        assertThat(RdbKeyValue.of("k", RdbValue.set("1", "2")).type()).isEqualTo(RdbType.SET_INTSET);
        assertThat(RdbKeyValue.of("k", RdbValue.set("a")).type()).isEqualTo(RdbType.SET);
        assertThat(RdbKeyValue.of("k", RdbValue.hash("f", "v")).type()).isEqualTo(RdbType.HASH_LISTPACK);
        assertThat(RdbKeyValue.of("k", RdbValue.list("a")).type()).isEqualTo(RdbType.LIST_QUICKLIST_2);
        assertThat(RdbKeyValue.of("k", RdbValue.zset(List.of(ascii("m")), new double[] {1})).type())
                .isEqualTo(RdbType.ZSET_LISTPACK);
    }
}
