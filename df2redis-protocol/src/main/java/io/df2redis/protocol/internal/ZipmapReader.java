package io.df2redis.protocol.internal;

/** The {@link CompactReader} of a Redis zipmap. */
final class ZipmapReader extends CompactReader {
    private boolean value;
    private int free;

    ZipmapReader(byte[] b, int off, int len) {
        super(b, off, off + len);
        if (len < 2) {
            throw new CorruptValueException("zipmap shorter than 2 bytes");
        }
        u8(); // zmlen: a hint only
    }

    @Override
    protected String name() {
        return "zipmap";
    }

    @Override
    public long declaredCount() {
        return -1;
    }

    @Override
    public boolean next() {
        if (!value && free > 0) {
            require(free);
            pos += free;
            free = 0;
        }
        int len = u8();
        if (len == 0xFF) {
            if (value) {
                throw new CorruptValueException("zipmap ends after a key without value");
            }
            if (pos != end) {
                throw new CorruptValueException("zipmap terminator before the end of the buffer");
            }
            pos--;
            return false;
        }
        long l = len;
        if (len == 0xFE) {
            l = le(4);
        } else if (len == 0xFD) {
            // 253 is a valid one-byte length in zipmap
            l = 0xFD;
        }
        if (l > Integer.MAX_VALUE) {
            throw new CorruptValueException("zipmap length out of range");
        }
        if (value) {
            free = u8();
        }
        string((int) l);
        value = !value;
        if (!value) {
            require(free);
        }
        return true;
    }
}
