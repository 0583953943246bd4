/** Self-signed certificates for TLS tests: {@link io.df2redis.testkit.tls.TestCertificates}. */
package io.df2redis.testkit.tls;
