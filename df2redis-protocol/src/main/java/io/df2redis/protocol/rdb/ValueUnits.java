package io.df2redis.protocol.rdb;

import io.netty.buffer.ByteBuf;

import java.util.Iterator;
import java.util.function.Consumer;

/**
 * A value as a sequence of "units" for {@link RdbEncoder}: the value header and then one unit
 * per element (list node, set member, hash field, stream node, filter chunk…), so that an entry
 * can be split at the element boundaries where Dragonfly splits it (spec §4.4). Every boundary
 * between two units is a valid split point. Not thread-safe: one instance writes one value once.
 */
abstract class ValueUnits {
    /** Writes the next unit; false (nothing written) when the value is complete. */
    abstract boolean next(ByteBuf out);

    /** A value written as one unit (never split). */
    static final class Single extends ValueUnits {
        private final Consumer<ByteBuf> writer;
        private boolean done;

        Single(Consumer<ByteBuf> writer) {
            this.writer = writer;
        }

        @Override
        boolean next(ByteBuf out) {
            if (done) {
                return false;
            }
            done = true;
            writer.accept(out);
            return true;
        }
    }

    /** Writes one element of a counted sequence; {@code index} counts from 0. */
    interface ElementWriter<T> {
        void write(ByteBuf out, T element, int index);
    }

    /** A header unit, then the units {@link #nextAfterHeader} writes. */
    abstract static class HeaderFirst extends ValueUnits {
        private final Consumer<ByteBuf> header;
        private boolean headerDone;

        HeaderFirst(Consumer<ByteBuf> header) {
            this.header = header;
        }

        @Override
        final boolean next(ByteBuf out) {
            if (!headerDone) {
                headerDone = true;
                header.accept(out);
                return true;
            }
            return nextAfterHeader(out);
        }

        /** Writes the next unit after the header; false (nothing written) when the value is complete. */
        abstract boolean nextAfterHeader(ByteBuf out);
    }

    /** A header unit followed by one unit per element. */
    static final class Sequence<T> extends HeaderFirst {
        private final Iterator<T> elements;
        private final ElementWriter<T> writer;
        private int index;

        Sequence(Consumer<ByteBuf> header, Iterator<T> elements, ElementWriter<T> writer) {
            super(header);
            this.elements = elements;
            this.writer = writer;
        }

        @Override
        boolean nextAfterHeader(ByteBuf out) {
            if (!elements.hasNext()) {
                return false;
            }
            writer.write(out, elements.next(), index++);
            return true;
        }
    }
}
