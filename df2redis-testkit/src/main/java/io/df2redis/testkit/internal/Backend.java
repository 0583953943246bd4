package io.df2redis.testkit.internal;

import java.util.List;

/** What a master does with the commands of its (authenticated) connections. */
public interface Backend {
    /** A command of an authenticated connection (AUTH handled already). Runs on the event loop. */
    void onCommand(Conn c, List<byte[]> args);

    /** The connection closed. */
    void onClose(Conn c);

    /** The master is closing or restarting: forget sessions. */
    default void shutdown() {
    }
}
