package io.df2redis.protocol.resp;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A RESP3 map ({@code %2\r\n<key><value><key><value>}). Entries are kept in wire order, duplicates
 * included.
 *
 * @param entries the key/value pairs in wire order (immutable)
 */
public record MapReply(List<Map.Entry<RespReply, RespReply>> entries) implements RespReply {

    /**
     * Copies {@code entries} into an immutable list (no null keys or values).
     *
     * @param entries the entries
     */
    public MapReply {
        entries = List.copyOf(entries);
    }

    /**
     * Number of entries.
     *
     * @return the entry count, duplicates included
     */
    public int size() {
        return entries.size();
    }

    /**
     * The entries as an insertion-ordered map (a later duplicate key wins).
     *
     * @return a new map
     */
    public Map<RespReply, RespReply> asMap() {
        Map<RespReply, RespReply> map = new LinkedHashMap<>(Math.max(16, entries.size() * 2));
        for (Map.Entry<RespReply, RespReply> e : entries) {
            map.put(e.getKey(), e.getValue());
        }
        return map;
    }
}
