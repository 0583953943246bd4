package io.df2redis.tools.inspect;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The byte-string conventions of the inspection JSON (the test vectors' format): a byte string
 * is {@code {"utf8": text}} when valid UTF-8, else {@code {"b64": base64}}; a map key is the
 * text, or {@code "b64:<base64>"}. Values are plain Java objects (maps, lists, strings,
 * numbers, booleans, null, {@link RawJson}) that any JSON library can write.
 */
public final class JsonShapes {
    private JsonShapes() {
    }

    /**
     * Whether {@code b} is well-formed UTF-8.
     *
     * @param b the bytes
     * @return true when they decode as UTF-8 without a malformed sequence
     */
    public static boolean isUtf8(byte[] b) {
        for (byte x : b) {
            if (x < 0) {
                try {
                    StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
                    return true;
                } catch (CharacterCodingException e) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * A byte string value: {@code {"utf8": ...}} or {@code {"b64": ...}}.
     *
     * @param b the bytes
     * @return a one-entry map: the text when the bytes are UTF-8, else their base64
     */
    public static Map<String, Object> bytes(byte[] b) {
        Map<String, Object> m = new LinkedHashMap<>(2);
        if (isUtf8(b)) {
            m.put("utf8", new String(b, StandardCharsets.UTF_8));
        } else {
            m.put("b64", Base64.getEncoder().encodeToString(b));
        }
        return m;
    }

    /**
     * A map key: the text, or {@code "b64:<base64>"}.
     *
     * @param b the key's bytes
     * @return the key as text, base64 with a {@code b64:} prefix when not UTF-8
     */
    public static String key(byte[] b) {
        return isUtf8(b) ? new String(b, StandardCharsets.UTF_8) : "b64:" + Base64.getEncoder().encodeToString(b);
    }

    /**
     * A score: the double, or "inf" / "-inf" / "nan".
     *
     * @param d the score
     * @return a {@link Double}, or the text for the values JSON has no number for
     */
    public static Object score(double d) {
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (Double.isNaN(d)) {
            return "nan";
        }
        return d;
    }

    /** Approximate JSON length of a byte string value, for size caps. */
    static int approxLength(byte[] b) {
        return b.length + 12;
    }
}
