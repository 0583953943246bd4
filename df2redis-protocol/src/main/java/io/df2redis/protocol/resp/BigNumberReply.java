package io.df2redis.protocol.resp;

import java.math.BigInteger;
import java.util.Objects;

/**
 * A RESP3 big number ({@code (3492890328409238509324850943850943825024385\r\n}).
 *
 * @param value the decimal digits, with an optional leading sign, exactly as received
 */
public record BigNumberReply(String value) implements RespReply {

    /**
     * Rejects a null value (the digits are not validated here).
     *
     * @param value the digits as received
     */
    public BigNumberReply {
        Objects.requireNonNull(value, "value");
    }

    /**
     * The value as a {@link BigInteger}.
     *
     * @return the number
     * @throws NumberFormatException when the server sent something that is not a decimal integer
     */
    public BigInteger toBigInteger() {
        return new BigInteger(value);
    }
}
