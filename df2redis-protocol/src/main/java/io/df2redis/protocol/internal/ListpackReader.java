package io.df2redis.protocol.internal;

/** The {@link CompactReader} of a Redis listpack. */
final class ListpackReader extends CompactReader {
    private final long count;

    ListpackReader(byte[] b, int off, int len) {
        super(b, off, off + len);
        if (len < 7) {
            throw new CorruptValueException("listpack shorter than its 7-byte header and terminator");
        }
        long total = le(4);
        if (total != len) {
            throw new CorruptValueException("listpack header says " + total + " bytes, string holds " + len);
        }
        if ((b[off + len - 1] & 0xFF) != 0xFF) {
            throw new CorruptValueException("listpack does not end with 0xFF");
        }
        long c = le(2);
        count = c == 65535 ? -1 : c;
    }

    @Override
    protected String name() {
        return "listpack";
    }

    @Override
    public long declaredCount() {
        return count;
    }

    @Override
    public boolean next() {
        int start = pos;
        int e = u8();
        if (e == 0xFF) {
            if (pos != end) {
                throw new CorruptValueException("listpack terminator before the end of the buffer");
            }
            pos--;
            return false;
        }
        if ((e & 0x80) == 0) {
            integer(e & 0x7F);
        } else if ((e & 0xC0) == 0x80) {
            string(e & 0x3F);
        } else if ((e & 0xE0) == 0xC0) {
            int u = ((e & 0x1F) << 8) | u8();
            integer(u >= 4096 ? u - 8192 : u);
        } else if ((e & 0xF0) == 0xE0) {
            string(((e & 0x0F) << 8) | u8());
        } else {
            switch (e) {
                case 0xF0: {
                    long len = le(4);
                    if (len > Integer.MAX_VALUE) {
                        throw new CorruptValueException("listpack string length " + len + " out of range");
                    }
                    string((int) len);
                    break;
                }
                case 0xF1:
                    integer((short) le(2));
                    break;
                case 0xF2: {
                    long v = le(3);
                    integer((v << 40) >> 40);
                    break;
                }
                case 0xF3:
                    integer((int) le(4));
                    break;
                case 0xF4:
                    integer(le(8));
                    break;
                default:
                    throw new CorruptValueException("invalid listpack entry encoding 0x" + Integer.toHexString(e));
            }
        }
        int size = pos - start;
        int backlen = size <= 127 ? 1 : size < 16383 ? 2 : size < 2097151 ? 3 : size < 268435455 ? 4 : 5;
        require(backlen);
        pos += backlen;
        return true;
    }
}
