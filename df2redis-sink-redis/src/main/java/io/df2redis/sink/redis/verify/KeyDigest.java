package io.df2redis.sink.redis.verify;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * What a {@link SyncRecorder} remembers of one snapshot key.
 *
 * @param db database index
 * @param key key bytes
 * @param type the {@code TYPE} reply the key must have
 * @param valueRecorded whether {@code hash} and {@code count} describe the value (false for types
 *     whose canonical form is not comparable: JSON, module types, members with their own TTL)
 * @param note why the value was not recorded, or "" when it was
 * @param hash the canonical value hash ({@link ValueHash})
 * @param count elements (bytes for strings)
 * @param expireAtMs absolute expiry in Unix milliseconds, or -1
 */
record KeyDigest(int db, byte[] key, String type, boolean valueRecorded, String note, long hash, long count,
                 long expireAtMs) {

    void write(DataOutput out) throws IOException {
        out.writeInt(db);
        out.writeInt(key.length);
        out.write(key);
        out.writeUTF(type);
        out.writeBoolean(valueRecorded);
        out.writeUTF(note);
        out.writeLong(hash);
        out.writeLong(count);
        out.writeLong(expireAtMs);
    }

    static KeyDigest read(DataInput in) throws IOException {
        int db = in.readInt();
        byte[] key = new byte[in.readInt()];
        in.readFully(key);
        return new KeyDigest(db, key, in.readUTF(), in.readBoolean(), in.readUTF(), in.readLong(), in.readLong(),
                in.readLong());
    }
}
