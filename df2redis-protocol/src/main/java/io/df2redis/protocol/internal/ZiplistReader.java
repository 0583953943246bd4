package io.df2redis.protocol.internal;

/** The {@link CompactReader} of a Redis ziplist. */
final class ZiplistReader extends CompactReader {
    private final long count;

    ZiplistReader(byte[] b, int off, int len) {
        super(b, off, off + len);
        if (len < 11) {
            throw new CorruptValueException("ziplist shorter than its 11-byte header and terminator");
        }
        long total = le(4);
        if (total != len) {
            throw new CorruptValueException("ziplist header says " + total + " bytes, string holds " + len);
        }
        long tail = le(4);
        if (tail >= len) {
            throw new CorruptValueException("ziplist tail offset " + tail + " outside the ziplist");
        }
        if ((b[off + len - 1] & 0xFF) != 0xFF) {
            throw new CorruptValueException("ziplist does not end with 0xFF");
        }
        long c = le(2);
        count = c == 65535 ? -1 : c;
    }

    @Override
    protected String name() {
        return "ziplist";
    }

    @Override
    public long declaredCount() {
        return count;
    }

    @Override
    public boolean next() {
        int first = u8();
        if (first == 0xFF) {
            if (pos != end) {
                throw new CorruptValueException("ziplist terminator before the end of the buffer");
            }
            pos--;
            return false;
        }
        if (first == 0xFE) {
            le(4);
        }
        int e = u8();
        switch (e >> 6) {
            case 0:
                string(e & 0x3F);
                return true;
            case 1:
                string(((e & 0x3F) << 8) | u8());
                return true;
            case 2: {
                if (e != 0x80) {
                    throw new CorruptValueException("invalid ziplist string encoding 0x" + Integer.toHexString(e));
                }
                require(4);
                long len = ((b[pos] & 0xFFL) << 24) | ((b[pos + 1] & 0xFFL) << 16) | ((b[pos + 2] & 0xFFL) << 8)
                        | (b[pos + 3] & 0xFFL);
                pos += 4;
                if (len > Integer.MAX_VALUE) {
                    throw new CorruptValueException("ziplist string length " + len + " out of range");
                }
                string((int) len);
                return true;
            }
            default:
                break;
        }
        switch (e) {
            case 0xC0:
                integer((short) le(2));
                break;
            case 0xD0:
                integer((int) le(4));
                break;
            case 0xE0:
                integer(le(8));
                break;
            case 0xF0: {
                long v = le(3);
                integer((v << 40) >> 40);
                break;
            }
            case 0xFE:
                integer((byte) le(1));
                break;
            default:
                if (e >= 0xF1 && e <= 0xFD) {
                    integer((e & 0x0F) - 1);
                } else {
                    throw new CorruptValueException("invalid ziplist entry encoding 0x" + Integer.toHexString(e));
                }
        }
        return true;
    }
}
