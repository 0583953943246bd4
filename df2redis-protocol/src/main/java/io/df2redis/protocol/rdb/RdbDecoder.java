package io.df2redis.protocol.rdb;

import io.df2redis.protocol.internal.rdb.RdbEngine;
import io.df2redis.protocol.journal.JournalDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Streaming decoder of RDB data: a standard Redis RDB file (versions 1–12), a Dragonfly
 * snapshot file ({@code .dfs}), or one Dragonfly replication flow (its RDB part, the 40-byte
 * eof token, then the journal). Feed it bytes split anywhere; it reports records, entries and
 * value batches to an {@link RdbHandler} in stream order. Memory stays bounded whatever the
 * dataset: containers arrive in batches, big strings in chunks, and at most one undecoded
 * unit is buffered. Malformed input ends in a {@link io.df2redis.protocol.ProtocolException}
 * subtype carrying the offset; after one the decoder refuses further input.
 *
 * <p>Not thread-safe: one decoder per stream, fed by one thread at a time.
 *
 * <pre>{@code
 * RdbDecoder d = RdbDecoder.forFile(handler);
 * d.feed(bytes1); d.feed(bytes2); ... d.finish();
 * }</pre>
 */
public final class RdbDecoder {
    /** Where the decoder is in its input. */
    public enum Phase {
        /** Before the 9-byte magic. */
        HEADER,
        /** Reading RDB records. */
        RECORDS,
        /** After EOF and checksum of a flow: reading the 40-byte eof token. */
        EOF_TOKEN,
        /** A flow after its eof token: decoding journal entries. */
        JOURNAL,
        /** A file after EOF (and checksum): complete. */
        DONE
    }

    /** Fewest bytes appended to a pending unit at a time (see {@link #feed(ByteBuf)}). */
    private static final int MIN_APPEND = 4096;

    private final RdbEngine engine;
    private ByteBuf cumulation;

    private RdbDecoder(RdbHandler handler, RdbDecoderOptions options, boolean flow) {
        this.engine = new RdbEngine(handler, options, flow);
    }

    /** A decoder for a Redis RDB file or a Dragonfly snapshot file: EOF ends the input. */
    public static RdbDecoder forFile(RdbHandler handler) {
        return forFile(handler, RdbDecoderOptions.defaults());
    }

    /** A decoder of an RDB file (Redis RDB 1-12 or a Dragonfly snapshot) calling {@code handler}. */
    public static RdbDecoder forFile(RdbHandler handler, RdbDecoderOptions options) {
        return new RdbDecoder(handler, options, false);
    }

    /**
     * A decoder for one Dragonfly replication flow in full sync: the RDB part, then EOF, the
     * checksum, the 40-byte eof token, then journal entries (spec §4.1).
     */
    public static RdbDecoder forFlow(RdbHandler handler) {
        return forFlow(handler, RdbDecoderOptions.defaults());
    }

    /** A decoder of one Dragonfly replication flow (snapshot, then journal, spec §4) calling {@code handler}. */
    public static RdbDecoder forFlow(RdbHandler handler, RdbDecoderOptions options) {
        return new RdbDecoder(handler, options, true);
    }

    /**
     * Decodes as much of {@code in} as forms complete units and advances its reader index;
     * undecoded bytes stay in {@code in} and must be presented again, followed by more bytes
     * (the contract of Netty's {@code ByteToMessageDecoder} cumulation).
     */
    public void decode(ByteBuf in) {
        engine.decode(in);
    }

    /**
     * Decodes {@code in} completely, keeping any incomplete trailing unit internally until the
     * next call. Reads {@code in} to its end; does not release it.
     */
    public void feed(ByteBuf in) {
        if (cumulation != null && cumulation.isReadable()) {
            // an undecoded unit is pending: append only as many new bytes as it may need (doubling),
            // then decode the rest of in where it is instead of copying all of it
            int step = Math.max(cumulation.readableBytes(), MIN_APPEND);
            while (true) {
                if (!in.isReadable()) {
                    return;
                }
                if (cumulation.readerIndex() > cumulation.capacity() / 2) {
                    cumulation.discardReadBytes();
                }
                int n = Math.min(step, in.readableBytes());
                cumulation.writeBytes(in, in.readerIndex(), n);
                engine.decode(cumulation);
                int left = cumulation.readableBytes();
                if (left <= n) {
                    // the pending unit is complete; what is left is the last bytes appended
                    in.skipBytes(n - left);
                    cumulation.clear();
                    break;
                }
                in.skipBytes(n);
                step = (int) Math.min(Integer.MAX_VALUE / 2, 2L * step);
            }
        }
        engine.decode(in);
        if (in.isReadable()) {
            if (cumulation == null) {
                cumulation = Unpooled.buffer(Math.max(256, in.readableBytes()));
            } else {
                cumulation.clear();
            }
            cumulation.writeBytes(in);
        }
    }

    /** Convenience for {@link #feed(ByteBuf)} on an array slice. */
    public void feed(byte[] bytes, int offset, int length) {
        // the whole array with its indices set, rather than a slice: every read of a slice goes
        // through one more buffer
        feed(Unpooled.wrappedBuffer(bytes).setIndex(offset, offset + length));
    }

    /**
     * Declares the end of the input given to {@link #feed}. For files the decoder must have
     * read EOF (and the checksum); for flows, the input must end between journal entries.
     *
     * @throws io.df2redis.protocol.TruncatedInputException otherwise
     */
    public void finish() {
        engine.finish(cumulation);
    }

    /** Where the decoder is in the stream. */
    public Phase phase() {
        switch (engine.phase()) {
            case MAGIC:
                return Phase.HEADER;
            case RECORDS:
                return Phase.RECORDS;
            case TOKEN:
                return Phase.EOF_TOKEN;
            case JOURNAL:
                return Phase.JOURNAL;
            default:
                return Phase.DONE;
        }
    }

    /** The RDB version from the magic (0 before it was read). */
    public int rdbVersion() {
        return engine.rdbVersion();
    }

    /** Absolute offset of the next byte to decode. */
    public long offset() {
        return engine.offset();
    }

    /**
     * During a handler callback: the offset of the record being reported (relative to the
     * enclosing compressed blob when inside one).
     */
    public long recordOffset() {
        return engine.recordOffset();
    }

    /** The flow's JOURNAL_OFFSET once seen, else -1. */
    public long journalOffset() {
        return engine.journalOffset();
    }

    /** The journal decoder of this flow (its LSN counter and current db). */
    public JournalDecoder journalDecoder() {
        return engine.journal();
    }

    /** Decodes a whole file (Redis RDB or Dragonfly .dfs) from disk. */
    public static void decodeFile(Path file, RdbHandler handler, RdbDecoderOptions options) throws IOException {
        RdbDecoder d = forFile(handler, options);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate(256 * 1024);
            while (ch.read(buf) >= 0) {
                buf.flip();
                d.feed(Unpooled.wrappedBuffer(buf));
                buf.clear();
            }
        }
        d.finish();
    }

    /** Decodes a whole stream, reading it in 64 KiB pieces. */
    public static void decodeStream(InputStream in, RdbDecoder decoder) throws IOException {
        byte[] buf = new byte[64 * 1024];
        int n;
        while ((n = in.read(buf)) >= 0) {
            if (n > 0) {
                decoder.feed(buf, 0, n);
            }
        }
        decoder.finish();
    }
}
