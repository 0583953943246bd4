package io.df2redis.protocol.rdb;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * {@link RdbEncoder#entryPieceIterator}: packs the units of an {@link EntryWriter}
 * into pieces of at most {@code maxPieceBytes} (bigger only when a single unit is), computed one
 * piece at a time so that a value too big to hold encoded can still be cut. Not thread-safe.
 */
final class EntryPieceIterator implements Iterator<byte[]> {
    private final EntryWriter writer;
    private final int maxPieceBytes;
    private final ByteBuf piece = Unpooled.buffer();
    private final ByteBuf unit = Unpooled.buffer();
    private boolean unitPending;
    private boolean exhausted;
    private byte[] next;

    EntryPieceIterator(EntryWriter writer, int maxPieceBytes) {
        this.writer = writer;
        this.maxPieceBytes = maxPieceBytes;
    }

    @Override
    public boolean hasNext() {
        if (next == null && !exhausted) {
            next = advance();
        }
        return next != null;
    }

    @Override
    public byte[] next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        byte[] n = next;
        next = null;
        return n;
    }

    private byte[] advance() {
        while (true) {
            if (!unitPending) {
                unit.clear();
                if (!writer.writeNext(unit)) {
                    exhausted = true;
                    return piece.isReadable() ? take() : null;
                }
                unitPending = true;
            }
            if (piece.isReadable() && piece.readableBytes() + unit.readableBytes() > maxPieceBytes) {
                return take();
            }
            piece.writeBytes(unit);
            unitPending = false;
        }
    }

    private byte[] take() {
        byte[] b = new byte[piece.readableBytes()];
        piece.readBytes(b);
        piece.clear();
        return b;
    }
}
