package io.df2redis.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer with the encoding primitives of Dragonfly's replication stream
 * (spec {@code dragonfly-replication.md} §2): packed unsigned integers, RDB strings (plain and
 * int-encoded), little-endian fixed-width integers and binary doubles, and Redis listpacks
 * (§4.8). Only what the benchmark generators need; not a general RDB encoder.
 */
final class WireWriter {
    private byte[] buf;
    private int size;

    WireWriter(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    int size() {
        return size;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }

    WireWriter u8(int b) {
        ensure(1);
        buf[size++] = (byte) b;
        return this;
    }

    WireWriter bytes(byte[] b) {
        return bytes(b, 0, b.length);
    }

    WireWriter bytes(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, size, len);
        size += len;
        return this;
    }

    WireWriter ascii(String s) {
        return bytes(s.getBytes(StandardCharsets.US_ASCII));
    }

    WireWriter u16le(int v) {
        return u8(v).u8(v >>> 8);
    }

    WireWriter u32le(long v) {
        return u8((int) v).u8((int) (v >>> 8)).u8((int) (v >>> 16)).u8((int) (v >>> 24));
    }

    WireWriter u64le(long v) {
        return u32le(v).u32le(v >>> 32);
    }

    /** IEEE-754 binary64, little-endian ("binary double"). */
    WireWriter doubleLe(double d) {
        return u64le(Double.doubleToRawLongBits(d));
    }

    /** Packed unsigned integer = RDB length, shortest form (§2.2). */
    WireWriter packed(long v) {
        if (v < 0) {
            throw new IllegalArgumentException("negative length " + v);
        }
        if (v < 64) {
            return u8((int) v);
        }
        if (v < 16384) {
            return u8(0x40 | (int) (v >>> 8)).u8((int) v);
        }
        if (v <= 0xFFFFFFFFL) {
            return u8(0x80).u8((int) (v >>> 24)).u8((int) (v >>> 16)).u8((int) (v >>> 8)).u8((int) v);
        }
        u8(0x81);
        for (int shift = 56; shift >= 0; shift -= 8) {
            u8((int) (v >>> shift));
        }
        return this;
    }

    /** A plain RDB string: length then raw bytes (§2.3). */
    WireWriter rdbString(byte[] s) {
        return packed(s.length).bytes(s);
    }

    WireWriter rdbString(String s) {
        return rdbString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** An integer as Dragonfly writes a decimal string in int32 range: int8/int16/int32-encoded (§2.3). */
    WireWriter rdbIntString(int v) {
        if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
            return u8(0xC0).u8(v);
        }
        if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            return u8(0xC1).u16le(v);
        }
        return u8(0xC2).u32le(v);
    }

    /** Builds one Redis listpack (§4.8): header, entries, terminator. */
    static final class Listpack {
        private final WireWriter body = new WireWriter(256);
        private int count;

        int count() {
            return count;
        }

        /** Bytes of the listpack as it would be written now (header + entries + terminator). */
        int encodedSize() {
            return 6 + body.size() + 1;
        }

        Listpack add(byte[] s) {
            int start = body.size();
            int len = s.length;
            if (len < 64) {
                body.u8(0x80 | len);
            } else if (len < 4096) {
                body.u8(0xE0 | (len >>> 8)).u8(len);
            } else {
                body.u8(0xF0).u32le(len);
            }
            body.bytes(s);
            backlen(body.size() - start);
            count++;
            return this;
        }

        Listpack add(long v) {
            int start = body.size();
            if (v >= 0 && v <= 127) {
                body.u8((int) v);
            } else if (v >= -4096 && v <= 4095) {
                int u = (int) v & 0x1FFF;
                body.u8(0xC0 | (u >>> 8)).u8(u);
            } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
                body.u8(0xF1).u16le((int) v);
            } else if (v >= -(1 << 23) && v < (1 << 23)) {
                body.u8(0xF2).u8((int) v).u8((int) (v >>> 8)).u8((int) (v >>> 16));
            } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                body.u8(0xF3).u32le(v);
            } else {
                body.u8(0xF4).u64le(v);
            }
            backlen(body.size() - start);
            count++;
            return this;
        }

        /** The entry's size, written so it can be read backwards (Redis {@code lpEncodeBacklen}). */
        private void backlen(int l) {
            if (l <= 127) {
                body.u8(l);
            } else if (l < 16383) {
                body.u8(l >>> 7).u8((l & 127) | 128);
            } else if (l < 2097151) {
                body.u8(l >>> 14).u8(((l >>> 7) & 127) | 128).u8((l & 127) | 128);
            } else if (l < 268435455) {
                body.u8(l >>> 21).u8(((l >>> 14) & 127) | 128).u8(((l >>> 7) & 127) | 128).u8((l & 127) | 128);
            } else {
                body.u8(l >>> 28).u8(((l >>> 21) & 127) | 128).u8(((l >>> 14) & 127) | 128)
                        .u8(((l >>> 7) & 127) | 128).u8((l & 127) | 128);
            }
        }

        byte[] toByteArray() {
            WireWriter out = new WireWriter(encodedSize());
            out.u32le(encodedSize()).u16le(Math.min(count, 65535)).bytes(body.buf, 0, body.size()).u8(0xFF);
            return out.toByteArray();
        }
    }
}
