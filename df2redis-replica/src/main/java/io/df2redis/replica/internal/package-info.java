/**
 * Internals of the replica; not API (the package is not exported). One session
 * ({@code Session}) is made of the control connection ({@code ControlConnection}) and one
 * connection per flow ({@code FlowConnection}), both on the protocol module's {@code RespClient};
 * the {@code Handshake}, the {@code FlowSetup} with the {@code ResumePlan}, the per-flow
 * {@code FlowPipeline} (with {@code FlowControl} and {@code FlowAcks}) and the
 * {@code AckScheduler}; the session's spill to disk ({@code Spiller}, with one {@code FlowSpill}
 * and {@code SpillLog} per flow, and {@code SpillFiles} for names and stale files). {@code Checkpointer}, {@code HandlerGuard} and
 * {@code GlobalCommandBarrier} serve the replicator and its flows.
 */
package io.df2redis.replica.internal;
