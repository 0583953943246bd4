package io.df2redis.replica.internal;

import io.df2redis.protocol.client.RespClient;
import io.df2redis.protocol.resp.ArrayReply;
import io.df2redis.protocol.resp.RespReply;
import io.df2redis.replica.FullSyncRestartException;
import io.df2redis.replica.HandshakeException;
import io.df2redis.replica.MasterInfo;
import io.df2redis.replica.ReplicatorOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static io.df2redis.replica.internal.SourceCommands.text;

/**
 * The flow set-up of a session (spec §3): on each flow's connection AUTH and {@code DFLY FLOW}
 * (with the next LSN when a partial sync is asked for), then the check of the replies: every flow
 * FULL (a full sync), every flow PARTIAL (a partial sync in the {@link SyncForm} of the master's
 * release: the raw journal on v1.35+, an incremental stream after {@code DFLY SYNC} on v1.16–v1.20
 * and v1.31–v1.34), or a mix, which no session can use ({@link FullSyncRestartException}: a new
 * session starts with a full sync).
 *
 * <p>Stateless apart from its final collaborators; runs on the supervisor thread.
 */
final class FlowSetup {
    private static final Logger LOG = LoggerFactory.getLogger(FlowSetup.class);

    private final ReplicatorOptions options;
    private final SourceCommands cmd;

    FlowSetup(ReplicatorOptions options, SourceCommands cmd) {
        this.options = options;
        this.cmd = cmd;
    }

    /**
     * Binds each flow connection to its client, sends AUTH and DFLY FLOW on each, and checks the
     * replies.
     *
     * @param clients per flow, the connection being opened
     * @param resume the position asked for when {@code askPartial}
     * @return {@link SyncForm#FULL}, or the release's partial form when every flow answered PARTIAL
     */
    SyncForm negotiate(MasterInfo m, List<FlowConnection> fcs, List<CompletableFuture<RespClient>> clients,
                      ResumePosition resume, boolean askPartial) {
        int n = fcs.size();
        SyncForm form = askPartial ? SyncForm.partialFormOf(m) : SyncForm.FULL;
        List<CompletableFuture<RespReply>> replies = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            FlowConnection fc = fcs.get(i);
            fc.bind(cmd.get(clients.get(i), "connect flow " + i + " to the Dragonfly source at "
                    + options.source().address()), options.source());
            cmd.auth(fc::command);
            if (askPartial) {
                replies.add(fc.flow(resume.nextLsns()[i], form == SyncForm.INCREMENTAL, "DFLY", "FLOW", m.masterId(), m.syncId(), i,
                        resume.nextLsns()[i]));
            } else {
                replies.add(fc.flow(0, false, "DFLY", "FLOW", m.masterId(), m.syncId(), i));
            }
        }
        int full = 0;
        int part = 0;
        for (int i = 0; i < n; i++) {
            RespReply r = cmd.get(replies.get(i), "DFLY FLOW " + i);
            if (!(r instanceof ArrayReply a) || a.size() != 2) {
                throw cmd.replyError("DFLY FLOW", r);
            }
            String kind = text(a.get(0));
            String token = text(a.get(1));
            if (token.length() != 40) {
                throw new HandshakeException("flow " + i + ": bad eof token in the FLOW reply: " + token);
            }
            if (kind.equals("FULL")) {
                full++;
            } else if (kind.equals("PARTIAL")) {
                part++;
            } else {
                throw new HandshakeException("flow " + i + ": unexpected FLOW reply " + kind);
            }
        }
        if (full > 0 && part > 0) {
            // the PARTIAL flows cannot be turned into FULL ones in this session (spec §6.2: Dragonfly's
            // replica aborts and reconnects without LSNs); FullSyncRestartException: no position to resume
            // from, a new session with a full sync at once
            throw new FullSyncRestartException("the Dragonfly source answered the partial sync request from "
                    + resume.origin() + " (next LSNs " + Arrays.toString(resume.nextLsns())
                    + ") with FULL on " + full + " and PARTIAL on " + part + " flows (some positions are no longer in "
                    + "its backlog, --shard_repl_backlog_len): a new session starts with a full sync");
        }
        boolean partial = part == n;
        if (partial && form == SyncForm.INCREMENTAL) {
            LOG.info("partial sync from {}: next LSNs {}, as an incremental stream after DFLY SYNC (release {})",
                    resume.origin(), Arrays.toString(resume.nextLsns()), m.release());
        } else if (partial) {
            LOG.info("partial sync from {}: next LSNs {}", resume.origin(), Arrays.toString(resume.nextLsns()));
        } else if (askPartial) {
            LOG.warn("the Dragonfly source answered FULL on every flow to the partial sync request from {} (next LSNs "
                    + "{}): the positions are no longer in its backlog (--shard_repl_backlog_len) or it does not offer "
                    + "partial sync; a full sync follows", resume.origin(), Arrays.toString(resume.nextLsns()));
        }
        return partial ? form : SyncForm.FULL;
    }
}
