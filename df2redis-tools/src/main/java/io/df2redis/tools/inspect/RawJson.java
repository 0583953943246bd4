package io.df2redis.tools.inspect;

/** A JSON document's text, to be embedded as parsed JSON (not as a string) by the writer. */
public record RawJson(String text) {
}
