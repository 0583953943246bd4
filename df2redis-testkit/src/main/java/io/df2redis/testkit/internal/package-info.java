/** Implementation of the embedded master; no compatibility promise. */
package io.df2redis.testkit.internal;
