package io.df2redis.protocol.rdb;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RdbOpcodesTest {

    /** The record opcodes: every constant named after a record (not a prefix, module field or length). */
    private static Map<String, Integer> recordOpcodes() throws IllegalAccessException {
        Map<String, Integer> out = new HashMap<>();
        for (Field f : RdbOpcodes.class.getFields()) {
            String n = f.getName();
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class && !n.startsWith("STRING_")
                    && !n.startsWith("MODULE_") && !n.startsWith("LENGTH_") && !n.equals("EOF_TOKEN_LENGTH")
                    && !n.equals("MODULE_AUX")) {
                out.put(n, f.getInt(null));
            }
        }
        out.put("MODULE_AUX", RdbOpcodes.MODULE_AUX);
        return out;
    }

    @Test
    void recordOpcodesAreDistinctNamedAndNeverAValueType() throws Exception {
        Map<String, Integer> ops = recordOpcodes();
        assertThat(ops).hasSize(22);
        assertThat(ops.values()).doesNotHaveDuplicates();
        for (Map.Entry<String, Integer> e : ops.entrySet()) {
            assertThat(RdbOpcodes.name(e.getValue())).as(e.getKey()).isNotNull();
            for (int version = 1; version <= 12; version++) {
                assertThat(RdbType.of(e.getValue(), version)).as(e.getKey() + " in RDB " + version).isNull();
            }
        }
        assertThat(RdbOpcodes.name(RdbOpcodes.AUX)).isEqualTo("AUX");
        assertThat(RdbOpcodes.name(RdbOpcodes.LZ4_BLOB)).isEqualTo("COMPRESSED_LZ4_BLOB_START");
        assertThat(RdbOpcodes.name(0)).isNull();
    }

    @Test
    void theEncoderAliasesAreTheTable() {
        assertThat(RdbOpcodes.AUX).isEqualTo(0xFA);
        assertThat(RdbOpcodes.SELECTDB).isEqualTo(0xFE);
        assertThat(RdbOpcodes.EOF).isEqualTo(0xFF);
        assertThat(RdbOpcodes.JOURNAL_BLOB).isEqualTo(0xD2);
        assertThat(RdbOpcodes.JOURNAL_OFFSET).isEqualTo(0xD3);
        assertThat(RdbOpcodes.FULLSYNC_END).isEqualTo(0xC8);
        assertThat(RdbOpcodes.TAGGED_CHUNK).isEqualTo(0xE0);
        assertThat(RdbEncoder.EOF_TOKEN_LENGTH).isEqualTo(RdbOpcodes.EOF_TOKEN_LENGTH).isEqualTo(40);
    }

    @Test
    void moduleNamesRoundTripThroughModuleIds() {
        long id = ModuleIds.moduleId("ReJSON-RL", 3);
        assertThat(ModuleIds.moduleName(id)).isEqualTo("ReJSON-RL");
        assertThat(ModuleIds.encodingVersion(id)).isEqualTo(3);
    }
}
