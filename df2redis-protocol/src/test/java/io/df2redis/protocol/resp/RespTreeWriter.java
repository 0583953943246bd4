package io.df2redis.protocol.resp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Test-side serializer of reply trees into RESP bytes, independent of the production code. Where
 * a reply has several wire forms (RESP2 vs RESP3), a seeded {@link Random} picks one, and it may
 * prepend RESP3 attributes (which the decoder must drop).
 */
final class RespTreeWriter {

    private final Random random;
    private final boolean variants;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** Canonical RESP2-first encoding, no attributes. */
    RespTreeWriter() {
        this.random = new Random(0);
        this.variants = false;
    }

    /** Encoding with randomly chosen equivalent forms and random attributes. */
    RespTreeWriter(long seed) {
        this.random = new Random(seed);
        this.variants = true;
    }

    static byte[] canonical(RespReply... replies) {
        RespTreeWriter w = new RespTreeWriter();
        for (RespReply r : replies) {
            w.write(r);
        }
        return w.toByteArray();
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }

    RespTreeWriter write(RespReply reply) {
        if (variants && random.nextInt(12) == 0) {
            writeAttribute();
        }
        if (reply instanceof SimpleString s) {
            line('+', s.value());
        } else if (reply instanceof ErrorReply e) {
            boolean lineSafe = e.message().indexOf('\r') < 0 && e.message().indexOf('\n') < 0;
            if (lineSafe && !(variants && random.nextBoolean())) {
                line('-', e.message());
            } else {
                bulk('!', e.message().getBytes(StandardCharsets.UTF_8));
            }
        } else if (reply instanceof IntegerReply i) {
            line(':', Long.toString(i.value()));
        } else if (reply instanceof BulkString b) {
            if (variants && random.nextInt(4) == 0) {
                byte[] prefix = (random.nextBoolean() ? "txt:" : "mkd:").getBytes(StandardCharsets.US_ASCII);
                byte[] payload = new byte[prefix.length + b.value().length];
                System.arraycopy(prefix, 0, payload, 0, prefix.length);
                System.arraycopy(b.value(), 0, payload, prefix.length, b.value().length);
                bulk('=', payload);
            } else {
                bulk('$', b.value());
            }
        } else if (reply instanceof NullReply) {
            int form = variants ? random.nextInt(3) : 0;
            line(form == 0 ? '$' : form == 1 ? '*' : '_', form == 2 ? "" : "-1");
        } else if (reply instanceof ArrayReply a) {
            aggregate(variants && random.nextInt(4) == 0 ? '~' : '*', a.elements());
        } else if (reply instanceof PushReply p) {
            aggregate('>', p.elements());
        } else if (reply instanceof MapReply m) {
            line('%', Integer.toString(m.entries().size()));
            for (Map.Entry<RespReply, RespReply> e : m.entries()) {
                write(e.getKey());
                write(e.getValue());
            }
        } else if (reply instanceof DoubleReply d) {
            double v = d.value();
            String text = Double.isNaN(v) ? "nan" : v == Double.POSITIVE_INFINITY ? "inf"
                    : v == Double.NEGATIVE_INFINITY ? "-inf" : Double.toString(v);
            line(',', text);
        } else if (reply instanceof BooleanReply b) {
            line('#', b.value() ? "t" : "f");
        } else if (reply instanceof BigNumberReply n) {
            line('(', n.value());
        } else {
            throw new IllegalArgumentException("unknown reply " + reply);
        }
        return this;
    }

    private void writeAttribute() {
        int pairs = random.nextInt(3);
        line('|', Integer.toString(pairs));
        for (int i = 0; i < pairs; i++) {
            write(new SimpleString("key-" + i));
            write(random.nextBoolean() ? new IntegerReply(random.nextLong())
                    : new ArrayReply(List.of(BulkString.of("a"), NullReply.INSTANCE)));
        }
    }

    private void aggregate(char type, List<RespReply> elements) {
        line(type, Integer.toString(elements.size()));
        for (RespReply e : elements) {
            write(e);
        }
    }

    private void line(char type, String text) {
        out.write(type);
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        out.write('\r');
        out.write('\n');
    }

    private void bulk(char type, byte[] payload) {
        line(type, Integer.toString(payload.length));
        out.writeBytes(payload);
        out.write('\r');
        out.write('\n');
    }
}
