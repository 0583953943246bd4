/**
 * df2redis's examples and its command-line tool ({@code df2redis.jar}: {@code demo},
 * {@code migrate}, {@code replicate}, {@code verify}). The CLI's package is opened to picocli, which
 * fills its option fields by reflection; nothing here is API.
 */
module io.df2redis.examples {
    requires io.df2redis.sink.redis;
    requires io.df2redis.micrometer;
    requires micrometer.registry.prometheus;
    requires jdk.httpserver;
    requires io.df2redis.testkit;
    requires info.picocli;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;

    exports io.df2redis.examples;
    opens io.df2redis.examples.cli to info.picocli;
    // the --log-format json provider, instantiated by SLF4J by name (slf4j.provider)
    exports io.df2redis.examples.cli.log to org.slf4j;
}
