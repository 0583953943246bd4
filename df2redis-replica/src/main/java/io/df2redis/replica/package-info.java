/**
 * df2redis's replica: connects to a Dragonfly master as a replica (DFLY replication protocol),
 * pulls every shard's snapshot, then follows every shard's journal, and hands what it receives to
 * host code, in flow order and never on a network thread.
 *
 * <h2>Public API</h2>
 * <ul>
 * <li><b>Running a replication</b>: {@link io.df2redis.replica.Replicator} (built with
 *     {@link io.df2redis.replica.Replicator.Builder}), configured by the immutable
 *     {@link io.df2redis.replica.ReplicatorOptions} (with its
 *     {@link io.df2redis.replica.ReplicatorOptions.Builder}) and pointed at a
 *     {@link io.df2redis.replica.DragonflyEndpoint}; its progress is
 *     {@link io.df2redis.replica.ReplicationState}, {@link io.df2redis.replica.ReplicationStats},
 *     {@link io.df2redis.replica.FlowStats} and {@link io.df2redis.replica.MasterInfo}.</li>
 * <li><b>Receiving data</b>: {@link io.df2redis.replica.ReplicationListener} (callbacks per phase:
 *     handshake, full sync, journal, informational), {@link io.df2redis.replica.ReplicationSink}
 *     with its {@link io.df2redis.replica.SinkEvent}s, {@link io.df2redis.replica.JournalEvent},
 *     and {@link io.df2redis.replica.JournalCommandHandler} returning a
 *     {@link io.df2redis.replica.JournalDecision}.</li>
 * <li><b>Failures of host code</b>: {@link io.df2redis.replica.HandlerFailurePolicy},
 *     {@link io.df2redis.replica.HandlerFailure}, {@link io.df2redis.replica.DeadLetterHandler},
 *     {@link io.df2redis.replica.HandlerException}; back-pressure:
 *     {@link io.df2redis.replica.SlowConsumerPolicy}, {@link io.df2redis.replica.SlowConsumerException};
 *     the spill to disk that keeps the master's writes flowing: {@link io.df2redis.replica.SpillOptions},
 *     {@link io.df2redis.replica.SpillFullException}, {@link io.df2redis.replica.SpillException}.</li>
 * <li><b>Resuming</b>: {@link io.df2redis.replica.CheckpointStore},
 *     {@link io.df2redis.replica.FileCheckpointStore}, {@link io.df2redis.replica.Checkpoint},
 *     {@link io.df2redis.replica.CheckpointStoreException}.</li>
 * <li><b>Errors</b> (all {@link io.df2redis.replica.ReplicationException}s, each saying whether a
 *     new session may succeed): of the source Dragonfly —
 *     {@link io.df2redis.replica.ConnectionException},
 *     {@link io.df2redis.replica.AuthenticationException},
 *     {@link io.df2redis.replica.TlsHandshakeException},
 *     {@link io.df2redis.replica.HandshakeException},
 *     {@link io.df2redis.replica.UnsupportedMasterException},
 *     {@link io.df2redis.replica.ReplicationProtocolException},
 *     {@link io.df2redis.replica.FullSyncRestartException}; of the sink —
 *     {@link io.df2redis.replica.SinkException}.</li>
 * </ul>
 *
 * <p>Threads: listener flow callbacks, journal handlers and the sink run on each flow's applier
 * thread; session callbacks on the replicator's supervisor thread; nothing on a Netty event loop.
 * The package {@code io.df2redis.replica.internal} is not API.
 */
package io.df2redis.replica;
