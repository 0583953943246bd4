package io.df2redis.protocol.net;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HostAndPortTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "localhost:6379              | localhost           | 6379",
        "10.0.0.7:7000               | 10.0.0.7            | 7000",
        "redis-7.example.com:1       | redis-7.example.com | 1",
        "[::1]:6379                  | ::1                 | 6379",
        "[2001:db8::7]:65535         | 2001:db8::7         | 65535",
        "[fe80::1%eth0]:6380         | fe80::1%eth0        | 6380",
        "'  host:6379 '              | host                | 6379",
    })
    void parsesHostAndPort(String text, String host, int port) {
        HostAndPort a = HostAndPort.parse(text);
        assertThat(a.host()).isEqualTo(host);
        assertThat(a.port()).isEqualTo(port);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "localhost       | localhost   | 6379",
        "localhost:7000  | localhost   | 7000",
        "[::1]           | ::1         | 6379",
        "::1             | ::1         | 6379",
        "2001:db8::7     | 2001:db8::7 | 6379",
        "[::1]:7000      | ::1         | 7000",
    })
    void usesTheDefaultPortWhenNoneIsGiven(String text, String host, int port) {
        assertThat(HostAndPort.parse(text, HostAndPort.DEFAULT_REDIS_PORT)).isEqualTo(HostAndPort.of(host, port));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''                | it is empty",
        "localhost         | the port is missing",
        "localhost:        | the port after ':' is empty",
        ":6379             | the host is empty",
        "host:0            | port 0 is outside 1..65535",
        "host:65536        | port 65536 is outside 1..65535",
        "host:123456       | is not a number",
        "host:63x9         | is not a number",
        "host:-1           | is not a number",
        "::1:6379          | must be written in brackets, e.g. [::1]:6379",
        "2001:db8::7:6379  | must be written in brackets",
        "[::1:6379         | is not closed",
        "[::1]6379         | expected ':' and the port after ']'",
        "[]:6379           | brackets are for IPv6 addresses only",
        "[10.0.0.1]:6379   | brackets are for IPv6 addresses only",
        "ho st:6379        | invalid character ' '",
        "user@host:6379    | invalid character '@'",
    })
    void rejectsBadTextSayingWhatIsWrong(String text, String why) {
        assertThatThrownBy(() -> HostAndPort.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid address '" + text + "'")
                .hasMessageContaining(why)
                .hasMessageContaining("expected HOST:PORT or [IPV6]:PORT");
    }

    @Test
    void printsIpv6InBrackets() {
        assertThat(HostAndPort.of("::1", 6379)).hasToString("[::1]:6379");
        assertThat(HostAndPort.of("::1", 6379).isIpv6()).isTrue();
        assertThat(HostAndPort.of("10.0.0.1", 6379)).hasToString("10.0.0.1:6379");
        assertThat(HostAndPort.of("h", 1).toSocketAddress().getHostString()).isEqualTo("h");
        assertThat(HostAndPort.of("h", 1).toSocketAddress().isUnresolved()).isTrue();
    }

    @Test
    void validatesTheParts() {
        assertThatThrownBy(() -> HostAndPort.of("", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HostAndPort.of("[::1]", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HostAndPort.of("h", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HostAndPort.of(null, 1)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> HostAndPort.parse("h", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HostAndPort.parse(null)).isInstanceOf(NullPointerException.class);
    }

    @Property
    void printingThenParsingGivesTheSameEndpoint(@ForAll("endpoints") HostAndPort a) {
        assertThat(HostAndPort.parse(a.toString())).isEqualTo(a);
        assertThat(HostAndPort.parse(a.toString(), 1)).isEqualTo(a);
    }

    @Provide
    Arbitrary<HostAndPort> endpoints() {
        Arbitrary<String> name = Arbitraries.strings().withChars("abcxyz0123456789-.").ofMinLength(1).ofMaxLength(20);
        Arbitrary<String> v4 = Arbitraries.integers().between(0, 255).list().ofSize(4)
                .map(l -> l.get(0) + "." + l.get(1) + "." + l.get(2) + "." + l.get(3));
        Arbitrary<String> v6 = Arbitraries.integers().between(0, 0xFFFF).list().ofMinSize(1).ofMaxSize(8)
                .map(l -> {
                    StringBuilder sb = new StringBuilder();
                    for (int g : l) {
                        sb.append(Integer.toHexString(g)).append(':');
                    }
                    return l.size() < 8 ? sb.append(':').toString() : sb.substring(0, sb.length() - 1);
                });
        return Combinators.combine(Arbitraries.oneOf(name, v4, v6), Arbitraries.integers().between(1, 65535))
                .as(HostAndPort::new);
    }
}
