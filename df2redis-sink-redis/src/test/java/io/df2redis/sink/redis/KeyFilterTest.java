package io.df2redis.sink.redis;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The rules of {@link KeyFilter}: include/exclude, dbs, types, renaming and its inverse. */
class KeyFilterTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void includesExcludesAndDbs() {
        KeyFilter f = KeyFilter.builder().includeKeys("user:*", "acct:?").excludeKeys("user:tmp:*")
                .excludeKeyRegex(Pattern.compile(".*:secret")).includeDbs(0, 2).build();
        assertThat(f.passes(0, b("user:1"))).isTrue();
        assertThat(f.passes(0, b("acct:7"))).isTrue();
        assertThat(f.passes(0, b("acct:77"))).isFalse();
        assertThat(f.passes(0, b("user:tmp:1"))).isFalse();
        assertThat(f.passes(0, b("user:x:secret"))).isFalse();
        assertThat(f.passes(1, b("user:1"))).as("db 1 not included").isFalse();
        assertThat(f.passes(2, b("user:1"))).isTrue();
        assertThat(f.selectsKeys()).isTrue();
        assertThat(f.passesAll()).isFalse();
        assertThat(KeyFilter.all().passesAll()).isTrue();
        assertThat(KeyFilter.all().passes(9, b("anything"))).isTrue();
        assertThat(f.toString()).contains("include [user:*, acct:?]").contains("exclude [user:tmp:*]")
                .contains("include dbs [0, 2]");
        assertThat(f.mutate().build().toString()).isEqualTo(f.toString());
    }

    @Test
    void typesAndCommands() {
        KeyFilter f = KeyFilter.builder().excludeTypes("stream").excludeCommands("publish").build();
        assertThat(f.passesType("stream")).isFalse();
        assertThat(f.passesType("hash")).isTrue();
        assertThat(f.passesType(null)).isTrue();
        assertThat(f.passesCommand("PUBLISH")).isFalse();
        assertThat(f.passesCommand("set")).isTrue();
        assertThat(f.selectsKeys()).isTrue();
    }

    @Test
    void prefixRenamingIsUndoneAndAFunctionIsNot() {
        KeyFilter f = KeyFilter.builder().renamePrefix("user:", "u:").renamePrefix("old:", "").build();
        assertThat(s(f.rename(0, b("user:1")))).isEqualTo("u:1");
        assertThat(s(f.rename(0, b("old:x")))).isEqualTo("x");
        assertThat(s(f.rename(0, b("other")))).isEqualTo("other");
        assertThat(f.sourceKey(0, b("u:1")).map(KeyFilterTest::s)).contains("user:1");
        assertThat(f.sourceKey(0, b("user:1")).map(KeyFilterTest::s)).as("old: is stripped").contains("old:user:1");
        KeyFilter one = KeyFilter.builder().renamePrefix("user:", "u:").build();
        assertThat(one.sourceKey(0, b("user:1"))).as("no source key is written as user:1").isEmpty();
        assertThat(one.sourceKey(0, b("plain")).map(KeyFilterTest::s)).contains("plain");
        assertThat(f.reversible()).isTrue();
        KeyFilter fn = KeyFilter.builder().rename((db, k) -> b("db" + db + ":" + s(k))).build();
        assertThat(s(fn.rename(3, b("k")))).isEqualTo("db3:k");
        assertThat(fn.reversible()).isFalse();
        assertThat(fn.sourceKey(0, b("db0:k"))).isEmpty();
        assertThatThrownBy(() -> KeyFilter.builder().renamePrefix("", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KeyFilter.builder().includeDbs(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Prefix renaming is undone exactly: the source key of a renamed key is the key. */
    @Property(tries = 300)
    void prefixRenamingRoundTrips(@ForAll @AlphaChars @StringLength(min = 1, max = 4) String from,
                                  @ForAll @AlphaChars @StringLength(max = 4) String to,
                                  @ForAll @StringLength(max = 12) String rest) {
        KeyFilter f = KeyFilter.builder().renamePrefix(from, to).build();
        byte[] key = b(from + rest);
        byte[] renamed = f.rename(0, key);
        assertThat(s(renamed)).isEqualTo(to + rest);
        assertThat(f.sourceKey(0, renamed)).hasValueSatisfying(k -> assertThat(k).isEqualTo(key));
    }
}
