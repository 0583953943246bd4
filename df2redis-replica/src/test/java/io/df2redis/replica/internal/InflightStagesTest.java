package io.df2redis.replica.internal;

import io.df2redis.replica.SinkEvent;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link InflightStages} against a deque of the same stages: order, counts, bytes and wake-ups. */
class InflightStagesTest {

    private record Stage(long lsn, SinkEvent event, CompletableFuture<Void> stage, long bytes) {
    }

    /**
     * Random adds, polls and watches (across the ring's wrap-around and growth): the head is always
     * the model's, the byte counts match, and {@code watch} registers exactly the stages added since
     * the last watch that are still outstanding.
     */
    @Property(tries = 300)
    void behavesLikeADequeOfStages(@ForAll @Size(max = 400) List<@IntRange(min = 0, max = 9) Integer> ops) {
        InflightStages ring = new InflightStages();
        ArrayDeque<Stage> model = new ArrayDeque<>();
        int sinceWatch = 0;
        long settled = 0;
        long next = 1;
        for (int op : ops) {
            if (op < 6) { // add (more adds than polls, so the ring grows and wraps)
                Stage s = new Stage(next, new SinkEvent.FullSyncEnd((int) next % 3), new CompletableFuture<>(), next % 7);
                next++;
                ring.add(s.lsn(), s.event(), s.stage(), s.bytes());
                model.add(s);
                sinceWatch++;
            } else if (op < 9) { // poll
                if (!model.isEmpty()) {
                    Stage s = model.poll();
                    assertThat(ring.headStage()).isSameAs(s.stage());
                    assertThat(ring.headLsn()).isEqualTo(s.lsn());
                    assertThat(ring.headEvent()).isSameAs(s.event());
                    ring.poll();
                    settled += s.bytes();
                    sinceWatch = Math.min(sinceWatch, model.size());
                }
            } else { // watch: only the newest sinceWatch stages get a callback
                AtomicInteger woken = new AtomicInteger();
                ring.watch(woken::incrementAndGet);
                for (Stage s : model) {
                    s.stage().complete(null); // completes every outstanding one: the callbacks run now
                }
                assertThat(woken).hasValue(sinceWatch);
                sinceWatch = 0;
            }
            assertThat(ring.size()).isEqualTo(model.size());
            assertThat(ring.isEmpty()).isEqualTo(model.isEmpty());
            assertThat(ring.bytes()).isEqualTo(model.stream().mapToLong(Stage::bytes).sum());
            assertThat(ring.settledBytes()).isEqualTo(settled);
            assertThat(ring.headStage()).isSameAs(model.isEmpty() ? null : model.peek().stage());
        }
    }
}
