package io.df2redis.examples.cli.log;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Marker;
import org.slf4j.helpers.AbstractLogger;
import org.slf4j.helpers.MessageFormatter;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One logger of {@link JsonLogProvider}: each event enabled by the level becomes one line
 * {@code {"ts":…,"level":…,"logger":…,"thread":…,"msg":…}}, plus {@code "error"} (the exception's class
 * and message) and {@code "stack"} (its stack trace as text) when the event carries a throwable.
 *
 * <p>Thread ownership: thread-safe; the fields are final, and each line is written with one
 * {@code println} on a stream whose writes are synchronized.
 */
final class JsonLogger extends AbstractLogger {
    /** The SLF4J simple logger's default-level property, also this logger's. */
    static final String LEVEL_PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The levels, from the most verbose; {@code OFF} logs nothing. */
    enum Level {
        TRACE, DEBUG, INFO, WARN, ERROR, OFF;

        static Level parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                return INFO;
            }
        }
    }

    private final Level level;
    private final transient Supplier<PrintStream> out;

    JsonLogger(String name, Level level, Supplier<PrintStream> out) {
        this.name = name;
        this.level = level;
        this.out = out;
    }

    private boolean enabled(Level l) {
        return level != Level.OFF && l.ordinal() >= level.ordinal();
    }

    @Override
    public boolean isTraceEnabled() {
        return enabled(Level.TRACE);
    }

    @Override
    public boolean isTraceEnabled(Marker marker) {
        return enabled(Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return enabled(Level.DEBUG);
    }

    @Override
    public boolean isDebugEnabled(Marker marker) {
        return enabled(Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return enabled(Level.INFO);
    }

    @Override
    public boolean isInfoEnabled(Marker marker) {
        return enabled(Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return enabled(Level.WARN);
    }

    @Override
    public boolean isWarnEnabled(Marker marker) {
        return enabled(Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return enabled(Level.ERROR);
    }

    @Override
    public boolean isErrorEnabled(Marker marker) {
        return enabled(Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(org.slf4j.event.Level l, Marker marker, String pattern,
                                               Object[] arguments, Throwable throwable) {
        out.get().println(line(Instant.now(), l.name(), Thread.currentThread().getName(), pattern, arguments,
                throwable));
    }

    /** The JSON line of one event (no line break). */
    String line(Instant ts, String lvl, String thread, String pattern, Object[] arguments, Throwable throwable) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ts", ts.toString());
        m.put("level", lvl);
        m.put("logger", name);
        m.put("thread", thread);
        m.put("msg", MessageFormatter.basicArrayFormat(pattern, arguments));
        if (throwable != null) {
            m.put("error", throwable.toString());
            StringWriter w = new StringWriter();
            throwable.printStackTrace(new PrintWriter(w));
            m.put("stack", w.toString());
        }
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            return "{\"level\":\"ERROR\",\"msg\":\"unloggable event\"}"; // strings and a list only: not reached
        }
    }
}
