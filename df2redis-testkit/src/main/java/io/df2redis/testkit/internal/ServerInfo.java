package io.df2redis.testkit.internal;

import io.df2redis.protocol.rdb.RdbEncoder;
import io.df2redis.testkit.ReleaseProfile;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.List;

/** What a live master says about itself: the RDB header of a flow and the INFO sections. */
final class ServerInfo {
    private ServerInfo() {
    }

    /** The RDB header and AUX fields of flow {@code flow} (spec §4.3), never compressed. */
    static byte[] header(RdbEncoder plain, ReleaseProfile profile, int shards, int flow, List<String> scripts,
                         long approxBytes) {
        ByteBuf b = Unpooled.buffer(256);
        plain.writeHeader(b);
        plain.writeAux(b, "redis-ver", "6.2.11");
        plain.writeAux(b, "df-ver", profile.dragonflyVersion());
        plain.writeAux(b, "redis-bits", "64");
        plain.writeAux(b, "ctime", Long.toString(System.currentTimeMillis() / 1000));
        plain.writeAux(b, "used-mem", Long.toString(282_728 + approxBytes));
        plain.writeAux(b, "aof-preamble", "0");
        if (flow == 0) {
            for (String script : scripts) {
                plain.writeAux(b, "lua", script);
            }
        }
        if (profile.auxShardFields()) {
            if (flow == 0) {
                plain.writeAux(b, "shard-count", Integer.toString(shards));
                plain.writeAux(b, "table-mem", Integer.toString(258_432));
            }
            plain.writeAux(b, "shard-id", Integer.toString(flow));
        }
        byte[] a = new byte[b.readableBytes()];
        b.readBytes(a);
        return a;
    }

    /** The INFO reply for {@code section} (upper case, "" = default): Server, Replication, Keyspace. */
    static String info(String section, ReleaseProfile profile, int shards, int port, int stableFlows, String masterId,
                       CharSequence keyspace) {
        StringBuilder sb = new StringBuilder();
        boolean all = section.isEmpty() || section.equals("ALL") || section.equals("EVERYTHING")
                || section.equals("DEFAULT");
        if (all || section.equals("SERVER")) {
            sb.append("# Server\r\n")
                    .append("redis_version:7.4.0\r\n")
                    .append("dragonfly_version:").append(profile.dragonflyVersion()).append("\r\n")
                    .append("redis_mode:standalone\r\n")
                    .append("arch_bits:64\r\n")
                    .append("thread_count:").append(shards).append("\r\n")
                    .append("tcp_port:").append(port).append("\r\n");
        }
        if (all || section.equals("REPLICATION")) {
            if (sb.length() > 0) {
                sb.append("\r\n");
            }
            sb.append("# Replication\r\n")
                    .append("role:master\r\n")
                    .append("connected_slaves:").append(stableFlows).append("\r\n")
                    .append("master_replid:").append(masterId).append("\r\n");
        }
        if (all || section.equals("KEYSPACE")) {
            if (sb.length() > 0) {
                sb.append("\r\n");
            }
            sb.append("# Keyspace\r\n");
            sb.append(keyspace);
        }
        return sb.toString();
    }
}
