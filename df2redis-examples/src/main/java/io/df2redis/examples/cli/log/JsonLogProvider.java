package io.df2redis.examples.cli.log;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The SLF4J provider of {@code --log-format json}: one JSON object per log event, one per line, on
 * the process's current {@code System.err}. Chosen explicitly with the {@code slf4j.provider} system
 * property (so that the SLF4J simple logger stays the default provider); the level is the simple
 * logger's level property ({@code org.slf4j.simpleLogger.defaultLogLevel}), which
 * {@code --log-level}/{@code --quiet} set. No MDC.
 *
 * <p>Thread ownership: the factory is thread-safe; see {@link JsonLogger}.
 */
public final class JsonLogProvider implements SLF4JServiceProvider {
    /** The SLF4J property naming the provider to use. */
    public static final String PROVIDER_PROPERTY = "slf4j.provider";

    private volatile ILoggerFactory factory;
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new NOPMDCAdapter();

    /** Instantiated by SLF4J. */
    public JsonLogProvider() {
    }

    /** The loggers, all writing to {@code System.err}. */
    @Override
    public ILoggerFactory getLoggerFactory() {
        return factory;
    }

    /** SLF4J's basic markers (markers are not written). */
    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    /** No MDC. */
    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    /** The SLF4J API version this provider implements. */
    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    /** Reads the level and makes the factory. */
    @Override
    public void initialize() {
        JsonLogger.Level level = JsonLogger.Level.parse(System.getProperty(JsonLogger.LEVEL_PROPERTY, "info"));
        java.util.concurrent.ConcurrentMap<String, JsonLogger> loggers = new java.util.concurrent.ConcurrentHashMap<>();
        factory = name -> loggers.computeIfAbsent(name, n -> new JsonLogger(n, level, () -> System.err));
    }
}
