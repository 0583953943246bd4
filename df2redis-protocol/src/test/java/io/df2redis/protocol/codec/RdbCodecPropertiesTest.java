package io.df2redis.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.df2redis.protocol.internal.Crc64;
import io.df2redis.protocol.journal.JournalEntry;
import io.df2redis.protocol.rdb.EntryWriter;
import io.df2redis.protocol.rdb.RdbDecoder;
import io.df2redis.protocol.rdb.RdbDecoderOptions;
import io.df2redis.protocol.rdb.RdbEncoder;
import io.df2redis.protocol.rdb.RdbKeyValue;
import io.df2redis.protocol.rdb.RdbProtocolException;
import io.df2redis.protocol.rdb.RdbRecords;
import io.df2redis.protocol.rdb.RdbType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Round trips through {@link RdbEncoder} and {@link io.df2redis.protocol.rdb.RdbDecoder}: every
 * type and encoding, every opcode, LZF strings, LZ4/ZSTD blobs, interleaved tagged chunks, file
 * mode with CRC-64 and flow mode with the journal after the eof token; and the same events
 * whatever the split of the input.
 */
class RdbCodecPropertiesTest {
    /** Types Dragonfly never splits (spec §4.4): one unit, one piece. */
    static final Set<RdbType> UNSPLIT = Set.of(RdbType.STRING, RdbType.JSON, RdbType.JSON_OLD, RdbType.CMS,
            RdbType.TOPK, RdbType.MODULE_2, RdbType.SET_INTSET, RdbType.HASH_LISTPACK, RdbType.ZSET_LISTPACK,
            RdbType.SET_LISTPACK, RdbType.LIST_ZIPLIST, RdbType.HASH_ZIPLIST, RdbType.ZSET_ZIPLIST,
            RdbType.HASH_ZIPMAP, RdbType.HASH_LISTPACK_EX, RdbType.HASH_LISTPACK_EX_PRE_GA);

    @Provide
    Arbitrary<RdbType> encodableTypes() {
        return Arbitraries.of(Gen.ENCODABLE);
    }

    static RdbDecoderOptions options(Gen g) {
        if (g.chance(30)) {
            return RdbDecoderOptions.defaults();
        }
        return RdbDecoderOptions.builder()
                .batchMaxElements(g.between(1, 50))
                .batchMaxBytes(g.between(16, 8192))
                .stringChunkBytes(g.between(1, 4096))
                .build();
    }

    private static byte[] bytes(ByteBuf b) {
        byte[] out = new byte[b.readableBytes()];
        b.getBytes(b.readerIndex(), out);
        return out;
    }

    /** One entry of every type, as a file with a CRC, decodes to its model; its pieces concatenate to it. */
    @Property(tries = 1500)
    void everyTypeRoundTrips(@ForAll("encodableTypes") RdbType type, @ForAll long seed) {
        Gen g = new Gen(seed);
        int version = g.versionFor(type);
        RdbEncoder enc = g.encoder(version);
        RdbKeyValue kv = g.keyValue(g.key(), type);
        int db = g.chance(50) ? 0 : g.r.nextInt(1000);

        ByteBuf out = Unpooled.buffer();
        enc.writeHeader(out);
        RdbRecords.writeSelectDb(out, db);
        enc.writeEntry(out, kv);
        long crc = enc.writeFileEof(out, 0);
        byte[] stream = bytes(out);

        Recorder rec = Decode.rdb(stream, false, options(g), Decode.Split.RANDOM, seed);
        assertThat(rec.entries.values()).containsExactly(Model.expected(db, kv));
        assertThat(rec.eofChecksums).containsExactly(version >= 5 ? crc : 0L);

        byte[] whole = enc.encodeEntry(kv);
        int max = g.between(1, 600);
        List<byte[]> pieces = enc.entryPieces(kv, max);
        ByteArrayOutputStream cat = new ByteArrayOutputStream();
        for (byte[] p : pieces) {
            cat.writeBytes(p);
        }
        assertThat(cat.toByteArray()).isEqualTo(whole);
        assertThat(pieces.size()).isPositive();
        if (UNSPLIT.contains(type)) {
            assertThat(pieces.size()).as("pieces of an unsplittable " + type).isEqualTo(1);
        }
    }

    /** The same entry written as tagged chunks of any size decodes to the same model. */
    @Property(tries = 400)
    void taggedEntryRoundTrips(@ForAll("encodableTypes") RdbType type, @ForAll long seed) {
        Gen g = new Gen(seed);
        g.scale = 3;
        int version = g.versionFor(type);
        RdbEncoder enc = g.encoder(version);
        RdbKeyValue kv = g.keyValue(g.key(), type);
        ByteBuf out = Unpooled.buffer();
        enc.writeHeader(out);
        int id = g.chance(20) ? -1 : g.between(1, Integer.MAX_VALUE);
        int chunks = enc.writeTaggedEntry(out, id, kv, g.between(1, 300));
        enc.writeEof(out);
        Recorder rec = Decode.rdb(bytes(out), false, options(g), Decode.Split.RANDOM, seed);
        assertThat(rec.entries.values()).containsExactly(Model.expected(0, kv));
        assertThat(rec.events.stream().filter(e -> e.startsWith("chunk ")).count()).isEqualTo(chunks);
    }

    /** Random streams of many entries, blobs, journal blobs and opcodes, as files or flows. */
    @Property(tries = 300)
    void mixedStreamsRoundTrip(@ForAll long seed, @ForAll boolean flow) {
        Gen g = new Gen(seed);
        Streams.Built b = Streams.mixed(g, flow);
        check(b, Decode.rdb(b.bytes, b.flow, options(g), Decode.Split.RANDOM, seed));
    }

    /** Two big entries' tagged chunks alternating with entries, journal blobs, SELECTDBs and blobs. */
    @Property(tries = 100)
    void interleavedTaggedChunksRoundTrip(@ForAll long seed, @ForAll boolean flow) {
        Gen g = new Gen(seed);
        Streams.Built b = Streams.interleaved(g, flow);
        Recorder rec = Decode.rdb(b.bytes, b.flow, options(g), Decode.Split.RANDOM, seed);
        check(b, rec);
        long firstChunks = rec.events.stream().filter(e -> e.startsWith("chunk ") && e.contains(" true @")).count();
        assertThat(firstChunks).isEqualTo(b.taggedEntries);
    }

    static void check(Streams.Built b, Recorder rec) {
        assertThat(rec.openEntries()).isZero();
        assertThat(new ArrayList<>(rec.entries.values()))
                .containsExactlyInAnyOrderElementsOf(new ArrayList<>(b.expected.values()));
        assertThat(rec.entries.keySet()).containsExactlyInAnyOrderElementsOf(b.expected.keySet());
        assertThat(rec.records).containsExactlyElementsOf(b.records);
        assertThat(rec.prefixes).isEqualTo(b.prefixes);
        List<String> journal = new ArrayList<>();
        for (JournalEntry e : rec.journal) {
            journal.add(Streams.render(e));
        }
        assertThat(journal).containsExactlyElementsOf(b.journal);
        if (b.flow) {
            assertThat(rec.journalOffsets).containsExactly(b.journalOffset);
            assertThat(rec.token).isEqualTo(b.token);
            assertThat(rec.eofChecksums).containsExactly(0L);
            assertThat(rec.fullSyncEnds).isEqualTo(b.fullSyncEnds);
            long entriesAfterToken = rec.journal.stream().filter(e -> e.lsn() != 0 && e.op().consumesLsn()).count();
            assertThat(rec.decoder.journalDecoder().nextLsn()).isEqualTo(b.journalOffset + entriesAfterToken);
        } else {
            long expected = b.rdbVersion >= 5 ? b.checksum : 0L;
            assertThat(rec.eofChecksums).containsExactly(expected);
            if (b.rdbVersion >= 5) {
                // independent check: CRC-64 of everything before the 8 checksum bytes
                long crc = Crc64.update(0L, b.bytes, 0, b.bytes.length - 8);
                long stored = 0;
                for (int i = 0; i < 8; i++) {
                    stored |= (b.bytes[b.bytes.length - 8 + i] & 0xFFL) << (8 * i);
                }
                assertThat(stored).isEqualTo(crc);
            }
        }
    }

    /** Whole, byte by byte and randomly split input gives the identical event sequence. */
    @Property(tries = 50)
    void splitsDoNotChangeEvents(@ForAll long seed, @ForAll boolean flow, @ForAll boolean interleaved) {
        Gen g = new Gen(seed);
        Streams.Built b = interleaved ? Streams.interleaved(g, flow) : Streams.mixed(g, flow);
        RdbDecoderOptions opts = options(g);
        List<String> whole = Decode.rdb(b.bytes, b.flow, opts, Decode.Split.WHOLE, seed).events;
        assertThat(whole).isNotEmpty();
        if (b.bytes.length <= 100_000) {
            assertThat(Decode.rdb(b.bytes, b.flow, opts, Decode.Split.BYTE_BY_BYTE, seed).events)
                    .containsExactlyElementsOf(whole);
        }
        for (int i = 0; i < 3; i++) {
            assertThat(Decode.rdb(b.bytes, b.flow, opts, Decode.Split.RANDOM, seed + i).events)
                    .containsExactlyElementsOf(whole);
        }
    }

    /** A file whose checksum does not match its content is rejected; a zero checksum is accepted. */
    @Property(tries = 50)
    void wrongChecksumIsRejected(@ForAll long seed) {
        Gen g = new Gen(seed);
        Streams.Built b = Streams.mixed(g, false);
        if (b.rdbVersion < 5) {
            return;
        }
        byte[] bad = b.bytes.clone();
        bad[bad.length - 1 - g.r.nextInt(8)] ^= (byte) (1 << g.r.nextInt(8));
        assertThatThrownBy(() -> Decode.rdb(bad, false, RdbDecoderOptions.defaults(), Decode.Split.WHOLE, seed))
                .isInstanceOf(RdbProtocolException.class).hasMessageContaining("checksum");
        byte[] zero = b.bytes.clone();
        Arrays.fill(zero, zero.length - 8, zero.length, (byte) 0);
        Recorder rec = Decode.rdb(zero, false, RdbDecoderOptions.defaults(), Decode.Split.WHOLE, seed);
        assertThat(rec.eofChecksums).containsExactly(0L);
        // checks can be switched off
        Decode.rdb(bad, false, RdbDecoderOptions.builder().verifyChecksum(false).build(), Decode.Split.WHOLE, seed);
    }

    /** Pieces never exceed the bound unless they hold a single unit; the first holds type and key. */
    @Property(tries = 300)
    void piecesAreBoundedAndCutAtElementBoundaries(@ForAll("encodableTypes") RdbType type, @ForAll long seed) {
        Gen g = new Gen(seed);
        g.scale = 4;
        RdbEncoder enc = g.encoder(g.versionFor(type));
        RdbKeyValue kv = g.keyValue(g.key(), type);
        int max = g.between(1, 2000);
        List<byte[]> units = new ArrayList<>();
        EntryWriter w = enc.entryWriter(kv);
        ByteBuf u = Unpooled.buffer();
        while (w.writeNext(u)) {
            units.add(bytes(u));
            u.clear();
        }
        assertThat(w.isDone()).isTrue();
        List<byte[]> pieces = enc.entryPieces(kv, max);
        // every piece is a run of whole units; it exceeds max only if it is a single unit
        int ui = 0;
        for (byte[] p : pieces) {
            int len = 0;
            int n = 0;
            while (len < p.length) {
                len += units.get(ui++).length;
                n++;
            }
            assertThat(len).isEqualTo(p.length);
            if (p.length > max) {
                assertThat(n).isEqualTo(1);
            }
        }
        assertThat(ui).isEqualTo(units.size());
        if (UNSPLIT.contains(type)) {
            assertThat(units.size()).isEqualTo(1);
        }
    }

    /** A flow is decoded to its last byte and ends in the journal phase. */
    @Property(tries = 20)
    void flowsAreDecodedToTheirLastByte(@ForAll long seed) {
        Gen g = new Gen(seed);
        Streams.Built b = Streams.mixed(g, true);
        Recorder rec = new Recorder();
        RdbDecoder d = Decode.rdb(b.bytes, true, RdbDecoderOptions.defaults(), Decode.Split.WHOLE, seed, rec);
        assertThat(d.phase()).isEqualTo(RdbDecoder.Phase.JOURNAL);
        assertThat(d.offset()).isEqualTo(b.bytes.length);
    }
}
