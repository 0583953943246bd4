package io.df2redis.testkit.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** RESP2 reply encoding for the master side. */
public final class Resp {
    public static final byte[] OK = simple("OK");
    public static final byte[] PONG = simple("PONG");
    public static final String NOAUTH = "NOAUTH Authentication required.";
    public static final String WRONGPASS = "WRONGPASS invalid username-password pair or user is disabled.";
    public static final String LOADING = "LOADING Dragonfly is loading the dataset in memory";
    public static final String SYNTAX = "ERR syntax error";
    public static final String NOT_INTEGER = "ERR value is not an integer or out of range";
    public static final String INVALID_STATE = "ERR invalid state";
    public static final String BAD_MASTER_ID = "ERR bad master id";
    public static final String BAD_SYNC_ID = "ERR bad sync id";
    public static final String SYNC_ID_NOT_FOUND = "ERR syncid not found";

    private Resp() {
    }

    public static byte[] simple(String s) {
        return ascii("+" + s + "\r\n");
    }

    /** An error reply; {@code text} without the leading '-' (e.g. {@code "ERR syntax error"}). */
    public static byte[] error(String text) {
        return ascii("-" + text + "\r\n");
    }

    public static byte[] integer(long v) {
        return ascii(":" + v + "\r\n");
    }

    public static byte[] bulk(byte[] b) {
        if (b == null) {
            return ascii("$-1\r\n");
        }
        ByteArrayOutputStream o = new ByteArrayOutputStream(b.length + 16);
        o.writeBytes(ascii("$" + b.length + "\r\n"));
        o.writeBytes(b);
        o.writeBytes(ascii("\r\n"));
        return o.toByteArray();
    }

    public static byte[] bulk(String s) {
        return bulk(s == null ? null : s.getBytes(StandardCharsets.UTF_8));
    }

    /** An array of already encoded elements. */
    public static byte[] array(byte[]... elements) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(ascii("*" + elements.length + "\r\n"));
        for (byte[] e : elements) {
            o.writeBytes(e);
        }
        return o.toByteArray();
    }

    public static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    public static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
