package io.df2redis.protocol.internal.rdb;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class IoAsciiTest {
    @Property
    void asciiIsTheDecimalText(@ForAll long v) {
        assertThat(new String(Io.ascii(v), StandardCharsets.US_ASCII)).isEqualTo(Long.toString(v));
    }

    @Property(tries = 50)
    void edgeValues(@ForAll("edges") long v) {
        assertThat(new String(Io.ascii(v), StandardCharsets.US_ASCII)).isEqualTo(Long.toString(v));
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<Long> edges() {
        return net.jqwik.api.Arbitraries.of(0L, -1L, 9L, 10L, -10L, 99L, 100L, Long.MAX_VALUE, Long.MIN_VALUE,
                Long.MIN_VALUE + 1, (long) Integer.MAX_VALUE, (long) Integer.MIN_VALUE);
    }
}
