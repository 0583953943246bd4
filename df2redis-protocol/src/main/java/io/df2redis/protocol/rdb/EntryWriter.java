package io.df2redis.protocol.rdb;

import io.netty.buffer.ByteBuf;

/**
 * Produces one entry a unit at a time: the first call writes the EXPIRETIME_MS / DF_MASK
 * prefix, type byte, key and the value's header; each further call one element-boundary unit
 * (a list node, set member, hash field, stream node with its listpack, filter chunk…). Any
 * boundary between two calls is a point where Dragonfly may split the entry. Made by
 * {@link RdbEncoder#entryWriter}. Not thread-safe.
 */
public final class EntryWriter {
    private final RdbEncoder encoder;
    private final RdbKeyValue kv;
    private final ValueUnits units;
    private boolean started;
    private boolean done;

    EntryWriter(RdbEncoder encoder, RdbKeyValue kv, ValueUnits units) {
        this.encoder = encoder;
        this.kv = kv;
        this.units = units;
    }

    /** Writes the next unit into {@code out}; returns false (writing nothing) once the entry is complete. */
    public boolean writeNext(ByteBuf out) {
        if (done) {
            return false;
        }
        if (!started) {
            started = true;
            encoder.writeEntryHeader(out, kv.key(), kv.type(), kv.expireAtMs(), kv.dfMask(), kv.mcFlags());
            if (!units.next(out)) {
                done = true;
            }
            return true;
        }
        if (!units.next(out)) {
            done = true;
            return false;
        }
        return true;
    }

    /** Whether every unit was written. */
    public boolean isDone() {
        return done;
    }

    /** The entry being written. */
    public RdbKeyValue entry() {
        return kv;
    }
}
