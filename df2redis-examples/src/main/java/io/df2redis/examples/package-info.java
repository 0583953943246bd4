/**
 * Runnable examples of embedding df2redis; not API. {@link io.df2redis.examples.ListenerExample}
 * follows a Dragonfly master with a listener only. The command-line tool ({@code df2redis.jar})
 * is in {@code io.df2redis.examples.cli}, which is opened to picocli but not exported.
 */
package io.df2redis.examples;
