package io.df2redis.replica.internal;

import io.df2redis.replica.JournalCommandHandler;
import io.df2redis.replica.JournalEvent;

import java.util.function.Predicate;

/**
 * A journal handler with its selector, as registered on the replicator's builder. Immutable.
 *
 * @param name how it was registered, for messages (e.g. {@code onCommand(SET)})
 * @param selector which entries it handles
 * @param handler the host's handler
 */
public record HandlerRegistration(String name, Predicate<JournalEvent> selector, JournalCommandHandler handler) {
}
