package io.df2redis.sink.redis.internal;

import io.df2redis.protocol.journal.JournalEntry;
import io.df2redis.protocol.rdb.RdbEntry;
import io.df2redis.replica.JournalEvent;
import io.df2redis.replica.SinkEvent;
import io.df2redis.sink.redis.KeyFilter;
import io.df2redis.sink.redis.UnsupportedData;

import java.nio.charset.StandardCharsets;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link FlowWriter}'s {@link KeyFilter}: snapshot entries that do not pass are dropped with their
 * value batches, passing ones renamed; journal and global commands go through
 * {@link JournalFilter}. A command that cannot be applied on one side of the filter only goes to
 * the sink's unsupported-data policy ({@link UnsupportedData#REASON_FILTER_SPLIT},
 * {@link UnsupportedData#REASON_FILTER_FLUSH}).
 *
 * <p>Thread ownership: confined to the writer's lock (the entries in progress of its flow).
 */
final class EventFilter {
    private static final RdbEntry SKIPPED = new RdbEntry(-1, -1, new byte[0], null, -1, 0, 0, -1, -1, null, 0);

    private final KeyFilter filter;
    /** Snapshot entries in progress: the renamed entry, or {@link #SKIPPED}. */
    private final Map<RdbEntry, RdbEntry> open = new IdentityHashMap<>();

    EventFilter(KeyFilter filter) {
        this.filter = filter;
    }

    /**
     * What the writer applies instead of {@code e}: {@code e} itself, a renamed or cut copy, or null
     * (nothing to write).
     *
     * @param host told of a command the filter cannot split (the policy's exception is thrown)
     */
    SinkEvent apply(SinkEvent e, FlowWriter.Host host) {
        if (filter.passesAll()) {
            return e;
        }
        if (e instanceof SinkEvent.EntryStart s) {
            RdbEntry en = s.entry();
            if (!filter.passes(en.db(), en.key()) || !filter.passesType(en.type().logicalType().typeReply())) {
                open.put(en, SKIPPED);
                return null;
            }
            if (!filter.renames()) {
                return e;
            }
            RdbEntry r = renamed(en);
            open.put(en, r);
            return new SinkEvent.EntryStart(s.flow(), r);
        }
        if (e instanceof SinkEvent.Entry w) {
            RdbEntry en = w.entry();
            if (!filter.passes(en.db(), en.key()) || !filter.passesType(en.type().logicalType().typeReply())) {
                return null;
            }
            return filter.renames() ? new SinkEvent.Entry(w.flow(), renamed(en), w.batch(), w.summary()) : e;
        }
        if (e instanceof SinkEvent.EntryBatch b) {
            RdbEntry r = open.get(b.entry());
            return r == SKIPPED ? null : r == null ? e : new SinkEvent.EntryBatch(b.flow(), r, b.batch());
        }
        if (e instanceof SinkEvent.EntryEnd end) {
            RdbEntry r = open.remove(end.entry());
            return r == SKIPPED ? null : r == null ? e : new SinkEvent.EntryEnd(end.flow(), r, end.summary());
        }
        if (e instanceof SinkEvent.Journal j) {
            JournalEvent ev = command(j.event(), host);
            return ev == null ? null : ev == j.event() ? e : new SinkEvent.Journal(j.flow(), ev);
        }
        if (e instanceof SinkEvent.GlobalCommand g) {
            JournalEvent ev = command(g.event(), host);
            return ev == null ? null : ev == g.event() ? e : new SinkEvent.GlobalCommand(g.flow(), ev, g.nextLsns());
        }
        return e;
    }

    /** The entry under the filter's name for its key. */
    private RdbEntry renamed(RdbEntry en) {
        return new RdbEntry(en.offset(), en.db(), filter.rename(en.db(), en.key()), en.type(), en.expireAtMs(),
                en.dfMask(), en.mcFlags(), en.idleSeconds(), en.lfuFrequency(), en.keyEncoding(), en.taggedId());
    }

    private JournalEvent command(JournalEvent ev, FlowWriter.Host host) {
        List<byte[]> args = ev.args();
        if (args.isEmpty()) {
            return ev;
        }
        String name = ev.command();
        JournalFilter.Outcome o = JournalFilter.apply(filter, ev.db(), name, args);
        switch (o.kind()) {
            case APPLY -> {
                if (o.args() == args) {
                    return ev;
                }
                JournalEntry en = ev.entry();
                return new JournalEvent(ev.flow(), ev.lsn(), ev.fullSync(), new JournalEntry(en.op(), en.offset(),
                        en.db(), en.txid(), en.shardCount(), o.args(), en.lsn(), en.lsnMatches()));
            }
            case DROP -> {
                return null;
            }
            default -> {
                byte[] key = args.size() > 1 ? args.get(1) : name.getBytes(StandardCharsets.UTF_8);
                RuntimeException x = host.unsupported(new UnsupportedData(key, ev.db(), name,
                        o.kind() == JournalFilter.Kind.SPLIT ? UnsupportedData.REASON_FILTER_SPLIT
                                : UnsupportedData.REASON_FILTER_FLUSH));
                if (x != null) {
                    throw x;
                }
                return null;
            }
        }
    }
}
