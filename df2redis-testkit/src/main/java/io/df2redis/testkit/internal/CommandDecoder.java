package io.df2redis.testkit.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;

import java.util.ArrayList;
import java.util.List;

/**
 * Decodes client commands: RESP arrays of bulk strings ({@code *N $len ...}) and inline commands
 * ({@code PING\r\n}, words separated by blanks), as Dragonfly accepts both. Emits one
 * {@code List<byte[]>} per command; empty lines are skipped.
 */
public final class CommandDecoder extends ByteToMessageDecoder {
    private static final int MAX_LINE = 64 * 1024;
    private static final int MAX_BULK = 512 * 1024 * 1024;
    private static final int MAX_ARGS = 1 << 20;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            int start = in.readerIndex();
            List<byte[]> cmd = in.getByte(start) == '*' ? multibulk(in) : inline(in);
            if (cmd == null) {
                in.readerIndex(start);
                return;
            }
            if (!cmd.isEmpty()) {
                out.add(cmd);
            }
        }
    }

    private static List<byte[]> inline(ByteBuf in) {
        int eol = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
        if (eol < 0) {
            if (in.readableBytes() > MAX_LINE) {
                throw new DecoderException("Protocol error: too big inline request");
            }
            return null;
        }
        int end = eol;
        if (end > in.readerIndex() && in.getByte(end - 1) == '\r') {
            end--;
        }
        byte[] line = new byte[end - in.readerIndex()];
        in.getBytes(in.readerIndex(), line);
        in.readerIndex(eol + 1);
        List<byte[]> args = new ArrayList<>();
        int i = 0;
        while (i < line.length) {
            while (i < line.length && (line[i] == ' ' || line[i] == '\t')) {
                i++;
            }
            int s = i;
            while (i < line.length && line[i] != ' ' && line[i] != '\t') {
                i++;
            }
            if (i > s) {
                byte[] a = new byte[i - s];
                System.arraycopy(line, s, a, 0, a.length);
                args.add(a);
            }
        }
        return args;
    }

    private static List<byte[]> multibulk(ByteBuf in) {
        long n = line(in, '*');
        if (n == Long.MIN_VALUE) {
            return null;
        }
        if (n > MAX_ARGS) {
            throw new DecoderException("Protocol error: invalid multibulk length");
        }
        List<byte[]> args = new ArrayList<>((int) Math.max(0, Math.min(n, 64)));
        for (long i = 0; i < n; i++) {
            if (!in.isReadable()) {
                return null;
            }
            if (in.getByte(in.readerIndex()) != '$') {
                throw new DecoderException("Protocol error: expected '$', got '"
                        + (char) in.getByte(in.readerIndex()) + "'");
            }
            long len = line(in, '$');
            if (len == Long.MIN_VALUE) {
                return null;
            }
            if (len < 0 || len > MAX_BULK) {
                throw new DecoderException("Protocol error: invalid bulk length");
            }
            if (in.readableBytes() < len + 2) {
                return null;
            }
            byte[] a = new byte[(int) len];
            in.readBytes(a);
            if (in.readByte() != '\r' || in.readByte() != '\n') {
                throw new DecoderException("Protocol error: bulk string not terminated by CRLF");
            }
            args.add(a);
        }
        return args;
    }

    /** Reads {@code <prefix><number>\r\n}; Long.MIN_VALUE when incomplete. */
    private static long line(ByteBuf in, char prefix) {
        int eol = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
        if (eol < 0) {
            if (in.readableBytes() > MAX_LINE) {
                throw new DecoderException("Protocol error: header line too long");
            }
            return Long.MIN_VALUE;
        }
        int s = in.readerIndex() + 1;
        int e = eol;
        if (e > s && in.getByte(e - 1) == '\r') {
            e--;
        }
        long v = 0;
        boolean neg = false;
        if (s < e && in.getByte(s) == '-') {
            neg = true;
            s++;
        }
        if (s >= e) {
            throw new DecoderException("Protocol error: invalid " + prefix + " length");
        }
        for (int i = s; i < e; i++) {
            byte b = in.getByte(i);
            if (b < '0' || b > '9' || v > Integer.MAX_VALUE) {
                throw new DecoderException("Protocol error: invalid " + prefix + " length");
            }
            v = v * 10 + (b - '0');
        }
        in.readerIndex(eol + 1);
        return neg ? -v : v;
    }
}
