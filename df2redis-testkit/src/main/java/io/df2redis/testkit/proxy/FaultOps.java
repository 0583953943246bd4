package io.df2redis.testkit.proxy;

import java.time.Duration;
import java.util.Objects;
import java.util.Random;

/** Implements the {@link FaultTarget} methods in terms of {@link #inject(Fault)}. */
abstract class FaultOps implements FaultTarget {

    /** Applies {@code fault} (validated already) before returning, as described in {@link FaultTarget}. */
    abstract void inject(Fault fault);

    @Override
    public void cut() {
        inject(new Fault.Cut(null));
    }

    @Override
    public void cutAfter(Direction direction, long bytes) {
        after(direction, bytes).cut();
    }

    @Override
    public long cutAtRandomByte(Random rnd, Direction direction, long maxBytes) {
        Objects.requireNonNull(rnd, "rnd");
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be at least 1, got " + maxBytes);
        }
        long offset = rnd.nextLong(maxBytes);
        cutAfter(direction, offset);
        return offset;
    }

    @Override
    public void stall() {
        inject(new Fault.Stall(null));
    }

    @Override
    public void stall(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("the stall duration must be positive, got " + duration);
        }
        inject(new Fault.Stall(duration));
    }

    @Override
    public void resume() {
        inject(new Fault.Resume());
    }

    @Override
    public void throttle(long bytesPerSecond) {
        inject(new Fault.Throttle(null, positiveRate(bytesPerSecond)));
    }

    @Override
    public void throttle(Direction direction, long bytesPerSecond) {
        Objects.requireNonNull(direction, "direction");
        inject(new Fault.Throttle(direction, positiveRate(bytesPerSecond)));
    }

    @Override
    public void unthrottle() {
        inject(new Fault.Throttle(null, 0));
    }

    @Override
    public FaultTarget after(Direction direction, long bytes) {
        Objects.requireNonNull(direction, "direction");
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must not be negative, got " + bytes);
        }
        FaultOps outer = this;
        return new FaultOps() {
            @Override
            void inject(Fault fault) {
                outer.inject(new Fault.After(direction, bytes, fault));
            }

            @Override
            public String toString() {
                return outer + " after " + bytes + " B " + direction;
            }
        };
    }

    private static long positiveRate(long bytesPerSecond) {
        if (bytesPerSecond <= 0) {
            throw new IllegalArgumentException("bytesPerSecond must be positive, got " + bytesPerSecond
                    + " (use stall() to stop a connection, unthrottle() to remove a limit)");
        }
        return bytesPerSecond;
    }
}
