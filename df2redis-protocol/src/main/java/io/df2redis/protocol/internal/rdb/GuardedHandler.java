package io.df2redis.protocol.internal.rdb;

import io.df2redis.protocol.journal.JournalEntry;
import io.df2redis.protocol.rdb.Compression;
import io.df2redis.protocol.rdb.EntrySummary;
import io.df2redis.protocol.rdb.RdbEntry;
import io.df2redis.protocol.rdb.RdbHandler;
import io.df2redis.protocol.rdb.ValueBatch;

/** Wraps the host's handler: whatever it throws propagates unchanged, not as a protocol error. */
final class GuardedHandler implements RdbHandler {
    private final RdbHandler h;

    GuardedHandler(RdbHandler h) {
        this.h = h;
    }

    private static HandlerFailure wrap(RuntimeException e) {
        return e instanceof HandlerFailure f ? f : new HandlerFailure(e);
    }

    @Override
    public void onJournalEntry(JournalEntry entry) {
        try {
            h.onJournalEntry(entry);
        } catch (RuntimeException e) {
            throw wrap(e);
        }
    }

    @Override
    public void onHeader(int rdbVersion) {
        try {
            h.onHeader(rdbVersion);
        } catch (RuntimeException e) {
            throw wrap(e);
        }
    }

    @Override
    public void onAux(byte[] key, byte[] value) {
        try {
            h.onAux(key, value);
        } catch (RuntimeException e) {
            throw wrap(e);
        }
    }

    @Override
    public void onSelectDb(int db) {
        try {
            h.onSelectDb(db);
        } catch (RuntimeException e) {
            throw wrap(e);
        }
    }

    @Override
    public void onResizeDb(long dbSize, long expiresSize) {
        try {
            h.onResizeDb(dbSize, expiresSize);
        } catch (RuntimeException e) {
            throw wrap(e);
        }
    }

    @Override
    public void onSlotInfo(long slot, long slotSize, long expiresSlotSize) {
        try {
            h.onSlotInfo(slot, slotSize, expiresSlotSize);
        } catch (RuntimeException e) {
            throw wrap(e);
        }
    }

    @Override
    public void onFunction(byte[] code) {
        try {
            h.onFunction(code);
        } catch (RuntimeException e) {
            throw wrap(e);
        }
    }

    @Override
    public void onModuleAux(long moduleId, String moduleName, int whenOpcode, long when) {
        try {
            h.onModuleAux(moduleId, moduleName, whenOpcode, when);
        } catch (RuntimeException e) {
            throw wrap(e);
        }
    }

    @Override
    public void onEntryStart(RdbEntry entry) {
        try {
            h.onEntryStart(entry);
        } catch (RuntimeException e) {
            throw wrap(e);
        }
    }

    @Override
    public void onValueBatch(RdbEntry entry, ValueBatch batch) {
        try {
            h.onValueBatch(entry, batch);
        } catch (RuntimeException e) {
            throw wrap(e);
        }
    }

    @Override
    public void onEntryEnd(RdbEntry entry, EntrySummary summary) {
        try {
            h.onEntryEnd(entry, summary);
        } catch (RuntimeException e) {
            throw wrap(e);
        }
    }

    @Override
    public void onFullSyncEnd(boolean paddingZero) {
        try {
            h.onFullSyncEnd(paddingZero);
        } catch (RuntimeException e) {
            throw wrap(e);
        }
    }

    @Override
    public void onJournalOffset(long nextLsn) {
        try {
            h.onJournalOffset(nextLsn);
        } catch (RuntimeException e) {
            throw wrap(e);
        }
    }

    @Override
    public void onCompressedBlobStart(Compression compression, int compressedLength, int uncompressedLength) {
        try {
            h.onCompressedBlobStart(compression, compressedLength, uncompressedLength);
        } catch (RuntimeException e) {
            throw wrap(e);
        }
    }

    @Override
    public void onCompressedBlobEnd(Compression compression) {
        try {
            h.onCompressedBlobEnd(compression);
        } catch (RuntimeException e) {
            throw wrap(e);
        }
    }

    @Override
    public void onJournalBlobStart(long count) {
        try {
            h.onJournalBlobStart(count);
        } catch (RuntimeException e) {
            throw wrap(e);
        }
    }

    @Override
    public void onJournalBlobEnd() {
        try {
            h.onJournalBlobEnd();
        } catch (RuntimeException e) {
            throw wrap(e);
        }
    }

    @Override
    public void onTaggedChunkStart(int id, int length, boolean first) {
        try {
            h.onTaggedChunkStart(id, length, first);
        } catch (RuntimeException e) {
            throw wrap(e);
        }
    }

    @Override
    public void onTaggedChunkEnd(int id, RdbEntry entry, boolean completesEntry) {
        try {
            h.onTaggedChunkEnd(id, entry, completesEntry);
        } catch (RuntimeException e) {
            throw wrap(e);
        }
    }

    @Override
    public void onEof(long checksum) {
        try {
            h.onEof(checksum);
        } catch (RuntimeException e) {
            throw wrap(e);
        }
    }

    @Override
    public void onEofToken(byte[] token) {
        try {
            h.onEofToken(token);
        } catch (RuntimeException e) {
            throw wrap(e);
        }
    }

    @Override
    public void onIndexRecord(int opcode) {
        try {
            h.onIndexRecord(opcode);
        } catch (RuntimeException e) {
            throw wrap(e);
        }
    }

    /** Marks an exception thrown by the host's handler so it is not mistaken for a decoding error. */
    static final class HandlerFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        HandlerFailure(Throwable cause) {
            super(cause);
        }
    }
}
