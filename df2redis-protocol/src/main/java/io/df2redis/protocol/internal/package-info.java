/**
 * Implementation of the codecs (compression, CRC-64, compact encodings, byte helpers). Not API:
 * public only so that the other packages of this module can use it; may change at any time and
 * is not to be exported once the module has a {@code module-info}.
 */
package io.df2redis.protocol.internal;
