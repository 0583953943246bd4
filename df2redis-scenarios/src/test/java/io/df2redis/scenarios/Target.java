package io.df2redis.scenarios;

import io.df2redis.sink.redis.RedisSink;
import io.df2redis.sink.redis.verify.VerifyEndpoint;
import io.df2redis.testkit.redis.RedisClusterProcess;
import io.df2redis.testkit.redis.RedisServerProcess;

import java.time.Duration;

/** The Redis a scenario replicates into: a real redis-server, standalone or a 3-master cluster. */
interface Target extends AutoCloseable {

    /** A sink builder for this target, with the scenario defaults (an empty target: the default policy refuses a non-empty one). */
    RedisSink.Builder sink();

    /** The target as the Verifier reads it. */
    VerifyEndpoint verifyEndpoint();

    /** Keys in the target (every db, every master). */
    long keys();

    /** A standalone redis-server. */
    static Standalone standalone(String... args) throws Exception {
        return new Standalone(RedisServerProcess.start(args));
    }

    /** A 3-master Redis Cluster. */
    static Cluster cluster() throws Exception {
        RedisClusterProcess c = RedisClusterProcess.start(3);
        c.awaitConverged(Duration.ofSeconds(30));
        return new Cluster(c);
    }

    /** A standalone target. */
    record Standalone(RedisServerProcess redis) implements Target {
        @Override
        public RedisSink.Builder sink() {
            return RedisSink.standalone(redis.address());
        }

        @Override
        public VerifyEndpoint verifyEndpoint() {
            return VerifyEndpoint.parse(redis.address());
        }

        @Override
        public long keys() {
            String info = ((io.df2redis.protocol.resp.BulkString) redis.call("INFO", "keyspace")).asString();
            long n = 0;
            for (String line : info.split("\r?\n")) {
                int k = line.indexOf("keys=");
                if (line.startsWith("db") && k > 0) {
                    int end = line.indexOf(',', k);
                    n += Long.parseLong(line.substring(k + 5, end < 0 ? line.length() : end));
                }
            }
            return n;
        }

        @Override
        public void close() throws Exception {
            redis.close();
        }
    }

    /** A cluster target; every source db is mapped to db 0 by the scenario. */
    record Cluster(RedisClusterProcess cluster) implements Target {
        @Override
        public RedisSink.Builder sink() {
            return RedisSink.cluster(cluster.addresses().toArray(String[]::new));
        }

        @Override
        public VerifyEndpoint verifyEndpoint() {
            return VerifyEndpoint.parse(cluster.seed()).asCluster();
        }

        @Override
        public long keys() {
            return cluster.dbsize();
        }

        @Override
        public void close() throws Exception {
            cluster.close();
        }
    }
}
