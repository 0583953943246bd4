package io.df2redis.protocol.internal;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link CommandNames#upper} is exactly {@code new String(b, UTF_8).toUpperCase(Locale.ROOT)}, shared or not. */
class CommandNamesTest {
    @Property(tries = 2000)
    void sameAsTheStringWay(@ForAll("names") byte[] name) {
        assertThat(CommandNames.upper(name)).isEqualTo(new String(name, StandardCharsets.UTF_8).toUpperCase(Locale.ROOT));
    }

    @Property(tries = 200)
    void commonNamesAreShared(@ForAll("common") String name) {
        assertThat(CommandNames.upper(name.getBytes(StandardCharsets.UTF_8)))
                .isSameAs(CommandNames.upper(name.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8)));
    }

    @Provide
    Arbitrary<byte[]> names() {
        Arbitrary<byte[]> common = common().map(s -> s.getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> near = common().map(s -> (s + (char) ('a' + s.length() % 26)).getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> any = Arbitraries.bytes().array(byte[].class).ofMaxSize(12);
        Arbitrary<byte[]> unicode = Arbitraries.strings().ofMaxLength(8).map(s -> s.getBytes(StandardCharsets.UTF_8));
        return Arbitraries.oneOf(common, near, any, unicode);
    }

    @Provide
    Arbitrary<String> common() {
        return Arbitraries.of("set", "SET", "Set", "hset", "LPUSH", "lPuSh", "flushall", "json.set", "xadd", "incr",
                "PEXPIREAT", "select", "multi", "exec").map(s -> s);
    }
}
