package io.df2redis.testkit.internal;

import io.df2redis.protocol.rdb.RdbEncoder;
import io.df2redis.protocol.rdb.RdbKeyValue;
import io.df2redis.protocol.rdb.RdbValue;
import io.df2redis.testkit.ReleaseProfile;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.ArrayList;
import java.util.List;

/**
 * Dragonfly DUMP payloads ({@code RdbSerializer::DumpValue}): type byte, value with the
 * release's types, RDB version 9 and CRC-64, little endian. Strings longer than 20 bytes are
 * LZF-compressed when that pays unless {@code --compression_mode} is 0, as Dragonfly switches its
 * serializer to single-entry compression for dumps. Used by {@code DUMP} and by the
 * {@code RESTORE} entries that journal RENAME and COPY.
 */
final class Dumps {
    private final ReleaseProfile profile;
    private final RdbEncoder encoder;

    Dumps(ReleaseProfile profile, boolean compress) {
        this.profile = profile;
        this.encoder = compress ? RdbEncoder.builder().lzfStrings(true).build() : RdbEncoder.dragonfly();
    }

    /** The payload of {@code kv}; null when {@code kv} is null. */
    byte[] dump(RdbKeyValue kv) {
        if (kv == null) {
            return null;
        }
        kv = SnapshotSerializer.adapt(kv, profile);
        RdbValue value = kv.value();
        if (value instanceof RdbValue.ZSetValue z) {
            // a sorted set is held in score order; entries put through the API may not be
            Integer[] order = ZRange.order(z);
            List<byte[]> members = new ArrayList<>(order.length);
            double[] scores = new double[order.length];
            for (int i = 0; i < order.length; i++) {
                members.add(z.members().get(order[i]));
                scores[i] = z.scores()[order[i]];
            }
            value = RdbValue.zset(members, scores);
        }
        ByteBuf buf = Unpooled.buffer();
        try {
            buf.writeByte(kv.type().code());
            encoder.writeValue(buf, kv.type(), value);
            buf.writeShortLE(9);
            buf.writeLongLE(RdbEncoder.crc64(0, buf, 0, buf.readableBytes()));
            byte[] out = new byte[buf.readableBytes()];
            buf.readBytes(out);
            return out;
        } finally {
            buf.release();
        }
    }
}
