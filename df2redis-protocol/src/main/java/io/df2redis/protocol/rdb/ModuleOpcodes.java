package io.df2redis.protocol.rdb;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Builds the opcode stream of a {@link RdbValue.ModuleValue} ({@link RdbValue.ModuleValue#opcodes()}):
 * signed/unsigned integers, floats, doubles, strings. Not thread-safe.
 */
public final class ModuleOpcodes {
    private final ByteBuf buf = Unpooled.buffer();

    ModuleOpcodes() {
    }

    /** Opcode 1 (SINT) – written as an unsigned 64-bit length like Redis does. */
    public ModuleOpcodes signed(long v) {
        buf.writeByte(RdbOpcodes.MODULE_SINT);
        RdbRecords.writeLengthUnsigned(buf, v);
        return this;
    }

    /** Opcode 2 (UINT). */
    public ModuleOpcodes unsigned(long v) {
        buf.writeByte(RdbOpcodes.MODULE_UINT);
        RdbRecords.writeLengthUnsigned(buf, v);
        return this;
    }

    /** Opcode 3 (FLOAT): 4 bytes. */
    public ModuleOpcodes float32(float v) {
        buf.writeByte(RdbOpcodes.MODULE_FLOAT);
        buf.writeIntLE(Float.floatToRawIntBits(v));
        return this;
    }

    /** Opcode 4 (DOUBLE): 8 bytes binary double. */
    public ModuleOpcodes float64(double v) {
        buf.writeByte(RdbOpcodes.MODULE_DOUBLE);
        buf.writeLongLE(Double.doubleToRawLongBits(v));
        return this;
    }

    /** Opcode 5 (STRING): a plain RDB string. */
    public ModuleOpcodes string(byte[] s) {
        buf.writeByte(RdbOpcodes.MODULE_STRING);
        RdbRecords.writeRawString(buf, s);
        return this;
    }

    /** The opcode stream written so far. */
    public byte[] build() {
        byte[] out = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), out);
        return out;
    }
}
