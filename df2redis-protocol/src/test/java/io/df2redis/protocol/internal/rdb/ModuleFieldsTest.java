package io.df2redis.protocol.internal.rdb;

import io.df2redis.protocol.rdb.RdbDecoderOptions;
import io.df2redis.protocol.rdb.RdbEncoder;
import io.df2redis.protocol.rdb.RdbOpcodes;
import io.df2redis.protocol.rdb.RdbProtocolException;
import io.df2redis.protocol.rdb.RdbRecords;
import io.df2redis.protocol.rdb.RdbValue;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one walker of module field streams, used for module values (type 7) and MODULE_AUX. */
class ModuleFieldsTest {
    private final Io io = new Io(RdbDecoderOptions.defaults());

    @Test
    void skipsEveryFieldKindUpToTheEofOpcode() {
        byte[] fields = RdbValue.ModuleValue.opcodes().signed(-5).unsigned(1L << 40).float32(1.5f).float64(2.5)
                .string("abc".getBytes(StandardCharsets.UTF_8)).build();
        ByteBuf in = Unpooled.buffer();
        in.writeBytes(fields);
        in.writeByte(RdbOpcodes.MODULE_EOF);
        in.writeByte(0x7A); // what follows the module value
        int skipped = 0;
        while (ModuleFields.skipField(in, io, "module value")) {
            skipped++;
        }
        assertThat(skipped).isEqualTo(5);
        assertThat(in.readableBytes()).isEqualTo(1);
        assertThat(in.readByte()).isEqualTo((byte) 0x7A);
    }

    @Test
    void anUnknownOpcodeCannotBeSkippedAndSaysWhere() {
        ByteBuf in = Unpooled.buffer();
        RdbRecords.writeLength(in, 9);
        assertThatThrownBy(() -> ModuleFields.skipField(in, io, "MODULE_AUX"))
                .isInstanceOf(RdbProtocolException.class)
                .hasMessageContaining("unknown module opcode 9 in MODULE_AUX: cannot be skipped");
    }
}
