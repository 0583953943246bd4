package io.df2redis.sink.redis;

import io.df2redis.protocol.inspect.KeyspaceReader;
import io.df2redis.sink.redis.verify.Verifier;
import io.df2redis.testkit.redis.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The Verifier on two real redis-servers: identical keyspaces pass; each kind of difference is reported by key. */
class VerifierIT {
    private static RedisServerProcess source;
    private static RedisServerProcess target;

    @BeforeAll
    static void start() throws Exception {
        source = RedisServerProcess.start();
        target = RedisServerProcess.start();
    }

    @AfterAll
    static void stop() throws Exception {
        source.close();
        target.close();
    }

    private static void fill(RedisServerProcess r) {
        r.call("FLUSHALL");
        r.call("SET", "s", "v");
        r.call("SET", "ttl", "v", "PX", "100000");
        r.call("RPUSH", "l", "a", "b");
        r.call("SADD", "set", "x", "y");
        r.call("HSET", "h", "f", "1");
        r.call("ZADD", "z", "1.5", "m");
        r.call("XADD", "st", "1-1", "f", "v");
        r.call("SELECT", "2");
        r.call("SET", "db2", "v");
        r.call("SELECT", "0");
    }

    private static Map<String, Object> read(RedisServerProcess r) throws Exception {
        return KeyspaceReader.read("127.0.0.1", r.port(), null, null, 16);
    }

    @Test
    void identicalKeyspacesVerify() throws Exception {
        fill(source);
        fill(target);
        Verifier.Report report = Verifier.compare(read(source), read(target), 2000);
        assertThat(report.differences()).isEmpty();
        assertThat(report.sourceKeys()).isEqualTo(8);
        assertThat(report.targetKeys()).isEqualTo(8);
    }

    @Test
    void everyKindOfDifferenceIsReportedByKey() throws Exception {
        fill(source);
        fill(target);
        target.call("DEL", "s");
        target.call("SET", "extra", "v");
        target.call("RPUSH", "l", "c");
        target.call("DEL", "set");
        target.call("SET", "set", "now a string");
        target.call("PERSIST", "ttl");
        Verifier.Report report = Verifier.compare(read(source), read(target), 2000);
        assertThat(report.differences()).extracting(d -> d.kind() + " " + d.key()).containsExactlyInAnyOrder(
                "MISSING s", "UNEXPECTED extra", "VALUE l", "TYPE set", "TTL ttl");
        assertThat(report.equal()).isFalse();
    }
}
