/**
 * df2redis's tools: a blocking RESP client for scripts and checks, and the inspection code that
 * records a flow and renders keyspaces and values as JSON (used by the Verifier, the CLI and the
 * tests). Nothing here runs on the replication path.
 */
module io.df2redis.tools {
    requires transitive io.df2redis.protocol;
    requires org.slf4j;

    exports io.df2redis.tools;
    exports io.df2redis.tools.inspect;
}
