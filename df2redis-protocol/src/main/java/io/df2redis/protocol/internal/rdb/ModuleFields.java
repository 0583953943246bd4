package io.df2redis.protocol.internal.rdb;

import io.df2redis.protocol.internal.Bytes;
import io.df2redis.protocol.rdb.RdbOpcodes;
import io.netty.buffer.ByteBuf;

/**
 * Skips the field stream of a module value (type 7) or a MODULE_AUX record: the opcodes of
 * Redis' module API ({@link RdbOpcodes#MODULE_SINT} … {@link RdbOpcodes#MODULE_STRING}) each
 * followed by its operand, ended by {@link RdbOpcodes#MODULE_EOF}. The one place that knows the
 * operand of each opcode, so a module value and module aux data are walked the same way.
 */
final class ModuleFields {
    private ModuleFields() {
    }

    /**
     * Reads one field opcode and skips its operand.
     *
     * @param where what is being walked, for the error ({@code "module value"}, {@code "MODULE_AUX"})
     * @return false when the opcode was {@link RdbOpcodes#MODULE_EOF} (nothing more to read),
     *     true after skipping one field
     * @throws io.df2redis.protocol.rdb.RdbProtocolException for an unknown opcode: without it the
     *     length of the operand, and so the rest of the stream, is unknown
     */
    static boolean skipField(ByteBuf in, Io io, String where) {
        long op = io.length(in, "module opcode");
        if (op == RdbOpcodes.MODULE_EOF) {
            return false;
        }
        if (op == RdbOpcodes.MODULE_SINT || op == RdbOpcodes.MODULE_UINT) {
            io.u64(in, "module integer");
        } else if (op == RdbOpcodes.MODULE_FLOAT) {
            Bytes.skip(in, 4);
        } else if (op == RdbOpcodes.MODULE_DOUBLE) {
            Bytes.skip(in, 8);
        } else if (op == RdbOpcodes.MODULE_STRING) {
            io.string(in);
        } else {
            throw io.error("unknown module opcode " + op + " in " + where + ": cannot be skipped");
        }
        return true;
    }
}
