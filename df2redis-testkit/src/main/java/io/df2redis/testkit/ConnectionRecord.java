package io.df2redis.testkit;

import java.net.SocketAddress;
import java.util.List;

/**
 * A snapshot of what one client connection of an {@link EmbeddedDragonflyMaster} did.
 *
 * @param id connection number, counting from 1 in accept order (not reset by {@code restart()})
 * @param remoteAddress the client's address
 * @param flowId the flow this connection serves after {@code DFLY FLOW}, or -1
 * @param syncId the sync id of the session the connection created or joined, or null
 * @param open whether the connection was still open when the snapshot was taken
 * @param commands every command received, in order, as UTF-8 text (command name first),
 *                 including {@code AUTH} and {@code REPLCONF ACK}
 */
public record ConnectionRecord(long id, SocketAddress remoteAddress, int flowId, String syncId, boolean open,
                               List<List<String>> commands) {

    /** Whether this connection sent a command whose name (first word) equals {@code name}, ignoring case. */
    public boolean sent(String name) {
        return commands.stream().anyMatch(c -> !c.isEmpty() && c.get(0).equalsIgnoreCase(name));
    }
}
