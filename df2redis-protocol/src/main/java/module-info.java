/**
 * df2redis's codecs for Dragonfly's replication protocol: RESP, the RDB snapshot format with
 * Dragonfly's extensions, the journal, and the Netty RESP client every connection uses.
 */
module io.df2redis.protocol {
    requires transitive io.netty.buffer;
    requires transitive io.netty.transport;
    requires transitive io.netty.codec;
    requires transitive io.netty.handler;
    requires io.netty.common;
    requires org.slf4j;
    requires org.apache.commons.compress;
    requires com.github.luben.zstd_jni;
    requires org.lz4.java;

    exports io.df2redis.protocol;
    exports io.df2redis.protocol.resp;
    exports io.df2redis.protocol.rdb;
    exports io.df2redis.protocol.journal;
    exports io.df2redis.protocol.net;
    exports io.df2redis.protocol.tls;
    exports io.df2redis.protocol.client;
}
