package io.df2redis.sink.redis.internal;

import io.df2redis.protocol.resp.ErrorReply;
import io.df2redis.protocol.resp.RespReply;
import io.df2redis.protocol.resp.SimpleString;
import io.df2redis.sink.redis.RedisCommandException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link Ack}: which stage an event gets, and when the writer may reuse the Ack for the next event. */
class AckTest {
    private final List<Throwable> reported = new ArrayList<>();

    private Ack ack() {
        return new Ack(reported::add, "127.0.0.1:6379");
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void nothingSentIsCompleteAndReusable() {
        Ack a = ack();
        CompletableFuture<Void> st = a.seal();
        assertThat(st).isCompleted();
        assertThat(a.reusable()).isTrue();
    }

    @Test
    void aSingleSharedStageIsTheEventsStageAndTheAckIsReusable() {
        Ack a = ack();
        CompletableFuture<Void> batch = new CompletableFuture<>();
        a.registerShared(batch);
        assertThat(a.seal()).isSameAs(batch);
        assertThat(a.reusable()).isTrue();
        a.reset();
        // reused for the next event: an own command makes it an ordinary, unreusable Ack
        CompletableFuture<RespReply> reply = new CompletableFuture<>();
        a.register(reply, b("set"), b("k"), 0);
        CompletableFuture<Void> st = a.seal();
        assertThat(st).isNotSameAs(batch).isNotDone();
        assertThat(a.reusable()).isFalse();
        reply.complete(SimpleString.OK);
        assertThat(st).isCompleted();
    }

    @Test
    void anAckWhoseReplyIsStillOutstandingIsNeverReused() {
        Ack a = ack();
        CompletableFuture<RespReply> first = new CompletableFuture<>();
        CompletableFuture<RespReply> second = new CompletableFuture<>();
        a.register(first, b("RPUSH"), b("l"), 0);
        a.register(second, b("RPUSH"), b("l"), 0);
        first.complete(SimpleString.OK); // one callback left: the Ack is still referenced
        CompletableFuture<Void> st = a.seal();
        assertThat(a.reusable()).isFalse();
        second.complete(new ErrorReply("WRONGTYPE Operation against a key holding the wrong kind of value"));
        assertThat(st).isCompletedExceptionally();
        assertThat(reported).singleElement().isInstanceOf(RedisCommandException.class);
    }

    @Test
    void aSharedStageNextToAnOwnCommandWaitsForBoth() {
        Ack a = ack();
        CompletableFuture<Void> batch = new CompletableFuture<>();
        CompletableFuture<RespReply> own = new CompletableFuture<>();
        a.registerShared(batch);
        a.register(own, b("PEXPIREAT"), b("k"), 0);
        CompletableFuture<Void> st = a.seal();
        assertThat(a.reusable()).isFalse();
        own.complete(SimpleString.OK);
        assertThat(st).isNotDone();
        batch.complete(null);
        assertThat(st).isCompleted();
    }

    @Test
    void aFailureBeforeTheSealIsTheEventsFailure() {
        Ack a = ack();
        a.fail(new IllegalStateException("unsupported"));
        assertThat(a.seal()).isCompletedExceptionally();
        assertThat(a.reusable()).isFalse();
    }
}
