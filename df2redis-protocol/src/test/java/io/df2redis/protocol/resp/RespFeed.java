package io.df2redis.protocol.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Test helpers that feed bytes to a {@link RespDecoder} the way a network reader would. */
final class RespFeed {

    private RespFeed() {
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static ByteBuf buf(String s) {
        return Unpooled.wrappedBuffer(bytes(s));
    }

    /** Decodes every complete reply in {@code data}, fed at once. */
    static List<RespReply> decodeAll(RespDecoder decoder, byte[] data) {
        return decodeSplit(decoder, data, new int[0], false);
    }

    /**
     * Appends {@code data} to a cumulation buffer piece by piece (pieces end at the sorted
     * {@code cuts}, then at the end), draining the decoder after each piece. With
     * {@code discard}, read bytes are discarded between pieces (indexes shift, as in Netty).
     */
    static List<RespReply> decodeSplit(RespDecoder decoder, byte[] data, int[] cuts, boolean discard) {
        int[] sorted = Arrays.copyOf(cuts, cuts.length + 1);
        sorted[cuts.length] = data.length;
        Arrays.sort(sorted);
        ByteBuf cumulation = Unpooled.buffer(Math.min(data.length, 1 << 16));
        List<RespReply> replies = new ArrayList<>();
        int previous = 0;
        try {
            for (int cut : sorted) {
                int to = Math.max(previous, Math.min(cut, data.length));
                cumulation.writeBytes(data, previous, to - previous);
                previous = to;
                drain(decoder, cumulation, replies);
                if (discard) {
                    cumulation.discardReadBytes();
                }
            }
            return replies;
        } finally {
            cumulation.release();
        }
    }

    /** Feeds {@code data} in pieces of {@code pieceSize} bytes. */
    static List<RespReply> decodeInPieces(RespDecoder decoder, byte[] data, int pieceSize) {
        ByteBuf cumulation = Unpooled.buffer(Math.min(data.length, 1 << 16));
        List<RespReply> replies = new ArrayList<>();
        try {
            for (int from = 0; from < data.length; from += pieceSize) {
                cumulation.writeBytes(data, from, Math.min(pieceSize, data.length - from));
                drain(decoder, cumulation, replies);
            }
            return replies;
        } finally {
            cumulation.release();
        }
    }

    static void drain(RespDecoder decoder, ByteBuf in, List<RespReply> replies) {
        RespReply reply;
        while ((reply = decoder.decode(in)) != null) {
            replies.add(reply);
        }
    }

    /** The single reply in {@code resp}, which must be consumed entirely. */
    static RespReply decodeOne(String resp) {
        ByteBuf in = buf(resp);
        RespReply reply = new RespDecoder().decode(in);
        if (reply == null) {
            throw new AssertionError("incomplete: " + resp);
        }
        if (in.isReadable()) {
            throw new AssertionError(in.readableBytes() + " bytes left after " + reply);
        }
        return reply;
    }
}
