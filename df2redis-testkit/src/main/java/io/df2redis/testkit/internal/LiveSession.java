package io.df2redis.testkit.internal;

import io.df2redis.testkit.SessionState;

/**
 * A replication session of a live master ({@code REPLCONF capa dragonfly} creates one) and its
 * flows; guarded by the master's lock.
 */
final class LiveSession {
    private LiveSession() {
    }

    static final class Flow {
        final int id;
        final FlowOutput out;
        final String token;
        final boolean partial;
        final long requestedLsn;
        SnapshotSerializer serializer;
        boolean stable;
        long lastLsnRecordNanos = Long.MIN_VALUE;

        Flow(int id, FlowOutput out, String token, boolean partial, long requestedLsn) {
            this.id = id;
            this.out = out;
            this.token = token;
            this.partial = partial;
            this.requestedLsn = requestedLsn;
        }
    }

    static final class Session {
        final int number;
        final String syncId;
        final Conn main;
        final Flow[] flows;
        SessionState state = SessionState.PREPARATION;
        String clientId;
        long clientVersion = -1;

        Session(int number, Conn main, int shards) {
            this.number = number;
            this.syncId = "SYNC" + number;
            this.main = main;
            this.flows = new Flow[shards];
        }

        boolean allFlows() {
            for (Flow f : flows) {
                if (f == null) {
                    return false;
                }
            }
            return true;
        }
    }
}
