package io.df2redis.protocol.codec;

import io.df2redis.protocol.rdb.RdbDecoder;
import io.df2redis.protocol.rdb.RdbDecoderOptions;
import io.netty.buffer.Unpooled;

import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Feeding helpers: whole, byte by byte, random splits; and a wall-clock guard against hangs. */
final class Decode {
    /** How a byte array is cut into feed() calls. */
    enum Split { WHOLE, BYTE_BY_BYTE, RANDOM }

    private static final ExecutorService GUARD = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "decode-guard");
        t.setDaemon(true);
        return t;
    });

    private Decode() {
    }

    /** Decodes {@code bytes} completely (feed + finish) into a fresh recorder. */
    static Recorder rdb(byte[] bytes, boolean flow, RdbDecoderOptions options, Split split, long seed) {
        Recorder rec = new Recorder();
        rdb(bytes, flow, options, split, seed, rec);
        return rec;
    }

    static RdbDecoder rdb(byte[] bytes, boolean flow, RdbDecoderOptions options, Split split, long seed,
                          Recorder rec) {
        RdbDecoder d = flow ? RdbDecoder.forFlow(rec, options) : RdbDecoder.forFile(rec, options);
        rec.decoder = d;
        feed(d, bytes, split, seed);
        d.finish();
        return d;
    }

    static void feed(RdbDecoder d, byte[] bytes, Split split, long seed) {
        switch (split) {
            case WHOLE:
                d.feed(Unpooled.wrappedBuffer(bytes));
                break;
            case BYTE_BY_BYTE:
                for (int i = 0; i < bytes.length; i++) {
                    d.feed(bytes, i, 1);
                }
                break;
            default: {
                Random r = new Random(seed);
                int i = 0;
                while (i < bytes.length) {
                    int n = Math.min(bytes.length - i, r.nextInt(4) == 0 ? 1 + r.nextInt(4) : 1 + r.nextInt(2000));
                    // a fresh copy each time: the decoder must not keep references to fed buffers
                    byte[] piece = new byte[n];
                    System.arraycopy(bytes, i, piece, 0, n);
                    d.feed(Unpooled.wrappedBuffer(piece));
                    java.util.Arrays.fill(piece, (byte) 0x5A);
                    i += n;
                }
            }
        }
    }

    /** Runs {@code task} and fails if it does not finish within {@code millis}; rethrows what it throws. */
    static <T> T within(long millis, Callable<T> task) throws Throwable {
        Future<T> f = GUARD.submit(task);
        try {
            return f.get(millis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new AssertionError("decoding did not finish within " + millis + " ms (hang?)");
        } catch (ExecutionException e) {
            throw e.getCause();
        }
    }
}
