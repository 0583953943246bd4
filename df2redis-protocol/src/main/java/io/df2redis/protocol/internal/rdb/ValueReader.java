package io.df2redis.protocol.internal.rdb;

import io.netty.buffer.ByteBuf;

/**
 * Resumable reader of one entry's value. {@link #step} decodes exactly one unit (a count, an
 * element, an encoded blob…) or throws {@code NeedMoreInput} without changing any state; the
 * engine rewinds the buffer and calls again once more bytes arrived.
 */
abstract class ValueReader {
    final EntryState state;
    final Io io;

    ValueReader(EntryState state, Io io) {
        this.state = state;
        this.io = io;
    }

    /** Decodes one unit; returns true once the value is complete (all batches emitted). */
    abstract boolean step(ByteBuf in);
}
