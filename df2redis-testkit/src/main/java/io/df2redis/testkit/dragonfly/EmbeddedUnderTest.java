package io.df2redis.testkit.dragonfly;

import io.df2redis.testkit.EmbeddedDragonflyMaster;
import io.netty.handler.ssl.SslContextBuilder;

import java.util.Optional;

/** The {@link EmbeddedDragonflyMaster} started from a {@link DragonflySpec}. */
final class EmbeddedUnderTest implements DragonflyUnderTest {
    private final EmbeddedDragonflyMaster master;
    private final DragonflySpec spec;

    private EmbeddedUnderTest(EmbeddedDragonflyMaster master, DragonflySpec spec) {
        this.master = master;
        this.spec = spec;
    }

    static EmbeddedUnderTest start(DragonflySpec spec) throws Exception {
        var b = EmbeddedDragonflyMaster.builder().shards(spec.shards())
                .compression(spec.compression());
        if (spec.password() != null) {
            b.requirePass(spec.password());
        }
        if (spec.aclUser() != null) {
            b.aclUser(spec.aclUser(), spec.aclPassword());
        }
        if (spec.tls()) {
            b.sslContext(SslContextBuilder.forServer(spec.tlsCert().toFile(), spec.tlsKey().toFile()).build());
        }
        if (spec.backlogLength() >= 0) {
            b.backlogLength(spec.backlogLength());
        }
        if (spec.chunkSize() > 0) {
            b.chunkSize(spec.chunkSize());
        }
        if (spec.snapshotEgressLimit() > 0) {
            b.paceSnapshot(spec.snapshotEgressLimit());
        }
        return new EmbeddedUnderTest(b.start(), spec);
    }

    @Override
    public String name() {
        return "embedded " + master.profile() + " (" + spec + ")";
    }

    @Override
    public String host() {
        return master.host();
    }

    @Override
    public int port() {
        return master.port();
    }

    @Override
    public DragonflySpec spec() {
        return spec;
    }

    @Override
    public Optional<EmbeddedDragonflyMaster> embedded() {
        return Optional.of(master);
    }

    @Override
    public int flows() {
        return master.shardCount();
    }

    @Override
    public void restart() {
        master.restart();
    }

    @Override
    public void close() {
        master.close();
    }

    @Override
    public String toString() {
        return name();
    }
}
