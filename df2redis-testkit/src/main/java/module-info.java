/**
 * df2redis's test kit: an embedded Dragonfly master that speaks the replication protocol as the
 * real releases do, real {@code redis-server} processes (standalone and Cluster), a fault-injecting
 * TCP proxy, TLS material and access to a real Dragonfly when one is configured. Its
 * {@code internal} package is not exported.
 */
module io.df2redis.testkit {
    requires transitive io.df2redis.tools;
    requires transitive io.netty.buffer;
    requires transitive io.netty.transport;
    requires io.netty.codec;
    requires io.netty.handler;
    requires io.netty.common;
    // CapturedCases.json returns a JsonNode: users of the test kit read Jackson through it
    requires transitive com.fasterxml.jackson.databind;
    requires org.junit.jupiter.api;
    requires org.lz4.java;
    requires org.slf4j;
    // Only when Docker is the way to a real Dragonfly; the jar has no stable module name.
    requires static testcontainers;

    exports io.df2redis.testkit;
    exports io.df2redis.testkit.dragonfly;
    exports io.df2redis.testkit.proxy;
    exports io.df2redis.testkit.redis;
    exports io.df2redis.testkit.tls;
}
